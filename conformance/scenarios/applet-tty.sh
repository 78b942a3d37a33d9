# tty: stdin is a pipe, not a terminal
tty
echo "status: $?"
