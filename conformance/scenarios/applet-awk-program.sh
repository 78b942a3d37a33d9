# awk: arrays, functions, loops, gsub, split
awk 'function sq(x) { return x * x }
BEGIN {
	for (i = 1; i <= 5; i++) a[i] = sq(i)
	s = ""; for (i = 1; i <= 5; i++) s = s a[i] " "
	print s
	n = split("p,q,r", parts, ",")
	print n, parts[2]
	t = "banana"; gsub(/a/, "o", t); print t
	print length("hello"), substr("hello", 2, 3), index("hello", "l")
	print toupper("abc"), sprintf("%05.1f", 3.14159)
}'
printf 'b 2\na 1\nb 3\n' | awk '{ c[$1] += $2 } END { print c["a"], c["b"] }'
