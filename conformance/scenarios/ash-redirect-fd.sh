# 2>&1 and >&2 into pipes
{ echo out; echo err >&2; } 2>&1 | sort
sh -c 'echo to-stderr >&2' 2>&1 | tr a-z A-Z
