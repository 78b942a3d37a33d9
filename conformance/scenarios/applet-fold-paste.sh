# fold and paste
echo abcdefghij | fold -w 3
seq 6 | paste - -
seq 4 | paste -s -d+
