# awk: fields, -F, printf, NF
printf 'a 1\nb 2\n' | awk '{ print $2, $1 }'
echo 'x:y:z' | awk -F: '{ print $NF, NF }'
printf '3 4\n' | awk '{ printf "%d*%d=%d\n", $1, $2, $1 * $2 }'
