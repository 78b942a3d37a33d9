# tr: ranges, classes, -s, -d, -c
echo Hello | tr a-z A-Z
echo 'a  b   c' | tr -s ' '
echo abc123def | tr -d 0-9
echo 'Mixed Case' | tr '[:lower:]' '[:upper:]'
echo hello | tr -c 'l\n' '.'
