# mkdir -p, ls of the new tree
# blocked-by: 16
mkdir -p /tmp/fs-mkdir/a/b/c
ls /tmp/fs-mkdir/a
ls -R /tmp/fs-mkdir | head -n 8
rmdir /tmp/fs-mkdir/a/b/c && echo removed
