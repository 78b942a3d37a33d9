# a here-document feeding a while-read loop
while read k v; do
	echo "$v=$k"
done <<EOF
one 1
two 2
three 3
EOF
