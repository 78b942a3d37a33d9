# od: -c, -An -tx1, -b, -d
printf 'AB\n\t' | od -c
printf 'hello' | od -An -tx1
printf 'AB' | od -b
printf '\001\002' | od -An -tu2
