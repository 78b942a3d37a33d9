# trap '' INT ignores SIGINT
trap '' INT
kill -INT $$
echo survived
