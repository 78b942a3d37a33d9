# positional parameters: set --, shift, $#, $@, $*
set -- a 'b c' d
echo "$#"
for x in "$@"; do echo "[$x]"; done
echo "$*"
shift
echo "$# $1"
IFS=:; echo "$*"
