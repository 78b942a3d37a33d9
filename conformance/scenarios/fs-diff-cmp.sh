# cmp and diff of two files
# blocked-by: 16
mkdir -p /tmp/fs-diff && cd /tmp/fs-diff
printf 'a\nb\nc\n' > one
printf 'a\nB\nc\n' > two
cmp one two; echo "cmp: $?"
diff one two; echo "diff: $?"
