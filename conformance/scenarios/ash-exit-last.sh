# a script's status is its last command's
echo last
false
