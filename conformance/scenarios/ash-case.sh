# case: literals, alternatives, wildcards, default
for x in apple banana cherry 42 ""; do
	case $x in
	apple|banana) echo "$x: fruit a/b" ;;
	c*) echo "$x: starts with c" ;;
	[0-9]*) echo "$x: number" ;;
	*) echo "[$x]: other" ;;
	esac
done
