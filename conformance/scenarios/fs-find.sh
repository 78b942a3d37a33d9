# find by name and type
# blocked-by: 16
mkdir -p /tmp/fs-find/x/y && cd /tmp/fs-find
touch x/a.txt x/y/b.txt x/c.log
find . -name '*.txt' | sort
find . -type d | sort
