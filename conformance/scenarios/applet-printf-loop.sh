# printf builds a table
for i in 1 2 3; do printf '%2d|%-3s|\n' "$i" "$(printf '%*s' "$i" '' | tr ' ' '*')"; done
