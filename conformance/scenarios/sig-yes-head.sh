# yes | head: yes ends when head closes the pipe
# blocked-by: 15
yes | head -n 3
yes abc | head -n 2
