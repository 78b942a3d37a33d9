# trap '' INT ignores SIGINT
# blocked-by: 15
trap '' INT
kill -INT $$
echo survived
