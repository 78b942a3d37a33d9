# touch, test -e, rm
# blocked-by: 16
mkdir -p /tmp/fs-touch && cd /tmp/fs-touch
touch a b
ls
rm a
[ -e a ] || echo "a gone"
[ -f b ] && echo "b here"
