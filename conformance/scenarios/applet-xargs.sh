# xargs: -n, building command lines
echo a b c | xargs -n1 echo item
seq 5 | xargs echo
printf 'x\ny\n' | xargs -I{} echo '<{}>'
