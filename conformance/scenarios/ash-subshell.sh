# subshells: variables and cd do not leak
x=1
(x=2; echo "inner $x")
echo "outer $x"
(cd /conf && pwd)
pwd
(exit 7); echo "subshell status $?"
