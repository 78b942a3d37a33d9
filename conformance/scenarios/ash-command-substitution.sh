# $(...) and backquotes, nested, trailing newlines
a=$(echo hello)
b=`echo world`
echo "$a $b"
echo "nested: $(echo $(echo deep))"
c=$(printf 'x\n\n\n')
echo "[$c]"
echo "count: $(seq 5 | wc -l)"
