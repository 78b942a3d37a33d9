# wc: lines, words, bytes, longest line
printf 'one two\nthree\n' | wc
printf 'one two\nthree\n' | wc -l
printf 'one two\nthree\n' | wc -w
printf 'one two\nthree\n' | wc -c
printf 'one two\nthree four five\n' | wc -L
wc -l < /conf/data/words.txt
