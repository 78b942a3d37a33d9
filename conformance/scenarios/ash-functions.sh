# functions: arguments, return status, local variables
greet() { echo "hello $1 ($#)"; }
greet world
greet a b c
f() { local v=inner; echo "$v"; return 3; }
v=outer
f; echo "status $? v=$v"
