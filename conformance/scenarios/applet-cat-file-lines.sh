# reading an initramfs file: cat | wc, grep -c
cat /conf/data/words.txt | wc -l
grep -c a /conf/data/words.txt
sort /conf/data/words.txt | head -n 2
