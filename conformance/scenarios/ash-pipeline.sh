# pipelines of several stages
echo 'c b a' | tr ' ' '\n' | sort | tr '\n' ' '; echo
seq 10 | grep 1 | wc -l
printf 'x\ny\nx\n' | sort | uniq -c | sort -rn | head -n 1
