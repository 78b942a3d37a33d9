# parameter expansion string operations
p=/usr/local/lib/libfoo.so.1
echo "${p##*/}" "${p#*/}" "${p%/*}" "${p%%.*}"
s=hello_world_hello
echo "${s/hello/bye}" "${s//hello/bye}"
echo "${s:6:5}" "${s:12}"
echo "${#s}"
u=abc; echo "${u}def"
