# processing arguments with shift in a while loop
set -- -v -o out file1 file2
while [ $# -gt 0 ]; do
	case $1 in
	-v) echo verbose ;;
	-o) echo "output=$2"; shift ;;
	*) echo "arg=$1" ;;
	esac
	shift
done
