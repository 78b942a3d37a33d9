# usleep and timeout (no signal needed when it finishes)
usleep 1000; echo "usleep: $?"
