# umask and ulimit -n as a fresh system has them
umask
ulimit -n
