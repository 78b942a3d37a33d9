# [[ ]] with patterns and ==
s=hello.txt
[[ $s == *.txt ]] && echo "glob match"
[[ $s == h* && ${#s} -gt 3 ]] && echo "compound"
[[ -z "" ]] && echo "empty"
