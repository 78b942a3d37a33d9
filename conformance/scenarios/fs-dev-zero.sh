# /dev/zero and /dev/urandom through dd and head
# blocked-by: 16
dd if=/dev/zero bs=4 count=2 2>/dev/null | od -An -tx1
head -c 16 /dev/urandom | wc -c
