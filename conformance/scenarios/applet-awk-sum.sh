# awk: sum a column, END block
seq 10 | awk '{ s += $1 } END { print s, NR }'
