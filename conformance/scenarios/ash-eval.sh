# eval builds and runs commands
cmd='echo evaluated'
eval "$cmd"
n=3; eval "v$n=three"; echo "$v3"
eval 'for i in 1 2; do echo "e$i"; done'
