# sed: s///g, -n p, d, ranges, y, -E groups
echo hello world | sed 's/o/0/g'
seq 5 | sed -n 2p
seq 5 | sed 2d
seq 10 | sed -n '3,5p'
echo abc | sed 'y/abc/xyz/'
echo 'key=value' | sed -E 's/([a-z]+)=([a-z]+)/\2=\1/'
seq 3 | sed -e 's/^/</' -e 's/$/>/'
printf 'a\nb\nc\n' | sed '$!s/$/,/'
