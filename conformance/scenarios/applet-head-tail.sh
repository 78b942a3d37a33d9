# head and tail: -n, -c, +N
seq 20 | head -n 3
seq 20 | tail -n 2
seq 5 | tail -n +4
echo abcdefgh | head -c 5; echo
echo abcdefgh | tail -c 4
seq 10 | head -n -7
