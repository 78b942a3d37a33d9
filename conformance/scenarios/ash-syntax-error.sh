# a syntax error: status 2, nothing run
echo ok
if then
