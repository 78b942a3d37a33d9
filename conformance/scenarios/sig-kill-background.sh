# kill a background sleep: status 143
# blocked-by: 15
sleep 10 &
kill $!
wait $!
echo "status $?"
