# for loops over words, globs of a list, seq output
for w in one two three; do echo "w=$w"; done
for n in $(seq 3); do printf '%s ' "$n"; done; echo
set -- a b c
for p; do echo "p=$p"; done
