# sleep 0.1 and sleep 1 return 0; a second passes
sleep 0.1; echo "sleep: $?"
a=$(date +%s)
sleep 1
b=$(date +%s)
[ $((b - a)) -ge 1 ] && echo "a second passed"
