# variables: assignment, quoting, unset, defaults
a=hello
b="$a world"
echo "$b" '$b'
unset a
echo "${a:-default}" "${a-unset}"
c=
echo "[${c:-empty}]" "[${c-set}]"
: ${d:=assigned}
echo "$d"
echo "${#b}"
