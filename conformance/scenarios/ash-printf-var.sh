# printf -v-free formatting into variables with $(...)
pad=$(printf '%05d' 42)
hex=$(printf '%x' 3054)
echo "$pad $hex"
