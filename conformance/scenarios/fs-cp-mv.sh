# cp and mv keep contents
# blocked-by: 16
mkdir -p /tmp/fs-cp && cd /tmp/fs-cp
seq 3 > src
cp src copy
mv copy moved
cat moved
ls
