# printf: %s %d %f %x %o %c, widths and flags
printf '%s=%d|%5.2f|%x|%o|%c\n' abc 42 3.14159 255 8 Z
printf '%-6s|%6s|\n' ab cd
printf '%03d %+d %e\n' 7 5 1234.5
printf '%s\n' one two three
printf '%b\n' 'tab\there'
