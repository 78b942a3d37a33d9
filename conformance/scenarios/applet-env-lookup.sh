# env as a lookup: a set and an unset variable
env | grep '^HOME='
env | grep -c '^NOPE='
echo "unset: $?"
