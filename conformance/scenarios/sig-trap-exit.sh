# trap on EXIT runs at the end
# blocked-by: 15
trap 'echo bye' EXIT
echo hello
