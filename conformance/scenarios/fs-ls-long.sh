# ls -l columns of a created file
# blocked-by: 16
mkdir -p /tmp/fs-ls && cd /tmp/fs-ls
printf 12345 > five
ls -l five | awk '{ print $1, $5, $NF }'
stat -c '%s %F' five
