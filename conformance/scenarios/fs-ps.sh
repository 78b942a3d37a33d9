# ps lists pid 1 and the shell itself, under a PID header
# blocked-by: 16
ps -o pid | head -n 1 | tr -d ' '
ps -o pid | awk '$1 == 1' | wc -l
me=$$
ps -o pid,ppid | awk -v me="$me" '$1 == me' | wc -l
