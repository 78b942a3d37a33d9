# timeout ends a long sleep
# blocked-by: 15
timeout 1 sleep 5
echo "status $?"
