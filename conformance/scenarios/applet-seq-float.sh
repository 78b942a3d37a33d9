# seq with a fractional step; awk float printing
seq 0 0.5 2
awk 'BEGIN { print 1/3; print int(7.9); print 2^10 }'
