# cat: stdin, a file, -n numbering
printf 'one\ntwo\n' | cat
cat /conf/data/words.txt
printf 'a\nb\n' | cat -n
