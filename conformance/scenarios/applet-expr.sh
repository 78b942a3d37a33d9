# expr: arithmetic, comparison, strings, exit status
expr 3 + 4
expr 10 / 3
expr 10 % 3
expr 5 \> 3
expr length hello
expr substr hello 2 3
expr index hello l
expr abc123 : '[a-z]*'
expr 0 + 0
echo "status of zero: $?"
