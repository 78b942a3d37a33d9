# set -e stops at the first failing command
set -e
echo one
true && false || echo "or saves it"
false
echo never
