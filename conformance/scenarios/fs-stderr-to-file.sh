# 2>&1 and 2> into files
# blocked-by: 16
mkdir -p /tmp/fs-stderr && cd /tmp/fs-stderr
sh -c 'echo out; echo err >&2' > both 2>&1
sort both
sh -c 'echo err2 >&2' 2> e
cat e
