# a child killed by a signal: 128 + n
sh -c 'kill -9 $$'
echo "status $?"
