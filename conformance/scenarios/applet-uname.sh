# uname -s (the kernel's name: a declared difference) and -m
uname -s
uname -m
