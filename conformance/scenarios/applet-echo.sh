# echo: words, -n, -e escapes, empty line
echo hello world
echo -n no-newline; echo
echo -e 'a\tb\\c'
echo
echo "  spaced  out  "
