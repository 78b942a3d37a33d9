# a script's exit status is its exit argument
echo before
exit 42
echo after
