# > f and >> f, then cat
# blocked-by: 16
mkdir -p /tmp/fs-write && cd /tmp/fs-write
echo one > f
echo two >> f
cat f
echo replaced > f
cat f
wc -c < f
