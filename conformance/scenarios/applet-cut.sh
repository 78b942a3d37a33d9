# cut: fields, delimiters, characters
echo 'a:b:c:d' | cut -d: -f2,4
echo 'a:b:c:d' | cut -d: -f3-
echo abcdef | cut -c2-4
printf 'x\ty\tz\n' | cut -f2
