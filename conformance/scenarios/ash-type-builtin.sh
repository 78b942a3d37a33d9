# type and command -v for builtins
type echo
type cd
command -v echo
