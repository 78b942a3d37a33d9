# sort and uniq on a thousand lines
seq 1000 | sort -r | head -n 3
seq 1000 | awk '{ print $1 % 7 }' | sort -n | uniq -c
