# globbing over the initramfs: files of /conf/data
for f in /conf/data/*.txt; do echo "$f"; done
echo /conf/data/nomatch*
