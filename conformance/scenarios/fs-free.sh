# free: the header and a Mem line
# blocked-by: 16
free | head -n 1 | tr -s ' '
free | awk '/^Mem:/ { print ($2 > 0) }'
