# tar creates and lists an archive
# blocked-by: 16
mkdir -p /tmp/fs-tar/d && cd /tmp/fs-tar
echo one > d/one; echo two > d/two
tar cf a.tar d
tar tf a.tar | sort
