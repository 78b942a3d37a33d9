# kill a background sleep: status 143
sleep 10 &
kill $!
wait $!
echo "status $?"
