# mktemp makes a file that exists
# blocked-by: 16
t=$(mktemp)
[ -f "$t" ] && echo "temp file exists"
rm "$t"
