# gzip | gunzip through pipes, zcat
echo hello hello hello | gzip | gunzip
seq 1000 | gzip -c | zcat | tail -n 1
seq 100 | gzip -9 | gunzip | md5sum
