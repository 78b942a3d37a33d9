# expand and unexpand tabs
printf 'a\tb\n' | expand
printf 'a\tb\n' | expand -t 4
