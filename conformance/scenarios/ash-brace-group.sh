# brace groups and their redirection
{ echo one; echo two; } | wc -l
{ echo a; false; }; echo "group status $?"
