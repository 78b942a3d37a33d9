# exec replaces the shell
echo before
exec echo replaced
echo never
