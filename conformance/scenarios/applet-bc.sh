# bc: arithmetic, scale, functions
echo '2 + 3 * 4' | bc
echo 'scale=3; 10 / 3' | bc
echo 'define f(x) { return x * x; }; f(12)' | bc
