# sort -o writes its input file
# blocked-by: 16
mkdir -p /tmp/fs-sorto && cd /tmp/fs-sorto
printf 'c\na\nb\n' > f
sort -o f f
cat f
