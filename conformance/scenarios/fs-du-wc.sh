# wc and du on created files
# blocked-by: 16
mkdir -p /tmp/fs-wc && cd /tmp/fs-wc
seq 100 > n
wc -l n
wc -c n
