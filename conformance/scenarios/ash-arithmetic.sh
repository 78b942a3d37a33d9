# arithmetic expansion: operators, precedence, variables
echo $((3 * 4 + 2)) $((7 % 3)) $((2 ** 10)) $((-5 / 2))
i=5
i=$((i + 1)); echo $i
echo $(( (1 + 2) * 3 )) $((1 << 4)) $((255 & 15)) $((6 ^ 3))
echo $((10 > 3)) $((3 == 4)) $((1 ? 7 : 8))
x=0x1F; echo $((x))
let y=6*7; echo $y
