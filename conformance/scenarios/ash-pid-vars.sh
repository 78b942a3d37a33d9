# $$ and $PPID are positive numbers; $! after no job is empty
[ "$$" -gt 0 ] && echo "pid ok"
[ "$PPID" -gt 0 ] && echo "ppid ok"
echo "[$!]"
