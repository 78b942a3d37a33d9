# date reads a wall clock past 2000; formats a fixed time
y=$(date +%Y)
[ "$y" -gt 2000 ] && echo "year after 2000"
date -u -d @0 '+%Y-%m-%d %H:%M:%S'
date -u -d @1000000000 +%s
