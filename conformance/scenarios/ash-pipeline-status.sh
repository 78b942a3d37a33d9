# a pipeline's status is its last command's
false | true; echo "false|true: $?"
true | false; echo "true|false: $?"
echo x | grep -q y | true; echo "mixed: $?"
