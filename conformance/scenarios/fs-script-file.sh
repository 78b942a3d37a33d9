# a script written to a file and run with sh
# blocked-by: 16
mkdir -p /tmp/fs-script && cd /tmp/fs-script
echo 'echo "args: $*"; exit 3' > s
sh s x y; echo "status $?"
