# a function in the middle of a pipeline
upper() { tr a-z A-Z; }
double() { while read l; do echo "$l$l"; done; }
printf 'ab\ncd\n' | upper | double
