# & and wait: the background job's output and status
# blocked-by: 15
(echo child; exit 3) &
wait $!
echo "status $?"
