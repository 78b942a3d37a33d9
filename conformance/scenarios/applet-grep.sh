# grep: plain, -c, -v, -n, -i, -o, -E
printf 'apple\nbanana\ncherry\n' | grep an
printf 'apple\nbanana\ncherry\n' | grep -c a
printf 'apple\nbanana\ncherry\n' | grep -v an
printf 'apple\nbanana\ncherry\n' | grep -n e
printf 'Apple\napple\n' | grep -i APPLE
echo 'aa bb aab' | grep -o 'a*b'
printf 'aa\nb\ncc\n' | grep -E 'a{2}|^c'
