# trap on EXIT runs at the end
trap 'echo bye' EXIT
echo hello
