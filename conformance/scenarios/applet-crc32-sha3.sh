# crc32 of a file, sha3sum of stdin
crc32 /conf/data/words.txt
echo hello | sha3sum
