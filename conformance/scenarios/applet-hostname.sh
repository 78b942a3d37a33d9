# hostname (the machine's name: a declared difference)
hostname
echo "status: $?"
