# true and false statuses
true; echo "true: $?"
false; echo "false: $?"
true | false; echo "pipe: $?"
! false; echo "negated: $?"
