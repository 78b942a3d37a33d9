# strings finds printable runs
printf 'ab\001\002hello world\000x\n' | strings
