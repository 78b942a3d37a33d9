# ln -s, readlink, readlink -f
# blocked-by: 16
mkdir -p /tmp/fs-ln/d && cd /tmp/fs-ln
echo data > d/target
ln -s d/target link
readlink link
readlink -f link
cat link
