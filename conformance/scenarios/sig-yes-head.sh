# yes | head: yes ends when head closes the pipe
yes | head -n 3
yes abc | head -n 2
