# df lists a root filesystem
# blocked-by: 16
df | head -n 1 | tr -s ' '
df /proc >/dev/null; echo "status: $?"
