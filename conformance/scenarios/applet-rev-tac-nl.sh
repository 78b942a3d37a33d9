# rev, tac, nl
echo hello | rev
seq 3 | tac
printf 'a\nb\n' | nl
