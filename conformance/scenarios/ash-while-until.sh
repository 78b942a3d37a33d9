# while and until loops, break and continue
i=0
while [ $i -lt 5 ]; do i=$((i + 1)); [ $i -eq 2 ] && continue; [ $i -eq 4 ] && break; echo "i=$i"; done
j=3
until [ $j -eq 0 ]; do echo "j=$j"; j=$((j - 1)); done
