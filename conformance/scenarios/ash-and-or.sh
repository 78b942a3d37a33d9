# && and || chains
true && echo "and ran"
false && echo "never"
false || echo "or ran"
true || echo "never"
false && true || echo "chain"
[ 1 = 1 ] && [ 2 = 2 ] && echo "both"
