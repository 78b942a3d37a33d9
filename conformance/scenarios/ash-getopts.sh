# getopts in a function
parse() {
	OPTIND=1
	while getopts "ab:c" opt; do
		case $opt in
		a) echo "flag a" ;;
		b) echo "b=$OPTARG" ;;
		c) echo "flag c" ;;
		esac
	done
	shift $((OPTIND - 1))
	echo "rest: $*"
}
parse -a -b val -c x y
