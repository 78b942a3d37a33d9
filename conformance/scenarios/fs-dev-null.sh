# redirection to and from /dev/null
# blocked-by: 16
echo hidden > /dev/null
cat /dev/null | wc -c
ls /nonexistent 2>/dev/null
echo "status: $?"
