# a child killed by a signal: 128 + n
# blocked-by: 15
sh -c 'kill -9 $$'
echo "status $?"
