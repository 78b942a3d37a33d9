# hexdump -C and xxd
printf 'hello, world\n' | hexdump -C
printf 'xyz' | xxd
