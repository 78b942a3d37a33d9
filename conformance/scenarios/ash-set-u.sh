# set -u: an unset variable is an error
set -u
echo start
echo "$undefined_var"
echo never
