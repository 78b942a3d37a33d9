# md5sum of stdin and of a file
echo hello | md5sum
printf '' | md5sum
md5sum /conf/data/words.txt
