# seq | head: the writer stops on a closed pipe
# blocked-by: 15
seq 100000 | head -n 2
