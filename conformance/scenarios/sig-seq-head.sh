# seq | head: the writer stops on a closed pipe
seq 100000 | head -n 2
