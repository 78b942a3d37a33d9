# & and wait: the background job's output and status
(echo child; exit 3) &
wait $!
echo "status $?"
