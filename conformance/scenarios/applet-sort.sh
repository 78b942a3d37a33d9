# sort: plain, -n, -r, -u, keys, separator
printf 'b\na\nc\nb\n' | sort
printf '10\n9\n100\n1\n' | sort -n
printf '10\n9\n100\n1\n' | sort -rn
printf 'b\na\nb\na\n' | sort -u
printf 'x 3\ny 1\nz 2\n' | sort -k2 -n
printf 'a:3\nb:1\nc:2\n' | sort -t: -k2
