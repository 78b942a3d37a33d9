# dc: reverse-polish arithmetic
echo '2 3 + p' | dc
echo '10 3 / p' | dc
echo '2 10 ^ p' | dc
