# ps shows the running ps
# blocked-by: 16
ps | grep -c '[p]s'
ps -o comm | head -n 1
