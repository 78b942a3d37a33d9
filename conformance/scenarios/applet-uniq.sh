# uniq: plain, -c, -d, -u
printf 'a\na\nb\nc\nc\nc\n' | uniq
printf 'a\na\nb\nc\nc\nc\n' | uniq -c
printf 'a\na\nb\nc\nc\nc\n' | uniq -d
printf 'a\na\nb\nc\nc\nc\n' | uniq -u
