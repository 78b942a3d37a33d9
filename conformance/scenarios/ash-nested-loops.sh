# nested loops and break 2
for a in 1 2 3; do
	for b in 1 2 3; do
		[ $b -gt $a ] && continue 2
		[ $a -eq 3 ] && break 2
		echo "$a$b"
	done
done
