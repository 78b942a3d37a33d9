# running a command that does not exist: status 127
no_such_command_xyz
echo "status: $?"
