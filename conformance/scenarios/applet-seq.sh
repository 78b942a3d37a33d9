# seq: counts, steps, separator, widths
seq 5
seq 2 3 11
seq -s, 1 5
seq -w 8 11
seq 3 -1 1
