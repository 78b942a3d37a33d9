# tee writes to a file and stdout
# blocked-by: 16
mkdir -p /tmp/fs-tee && cd /tmp/fs-tee
echo teed | tee out
cat out
