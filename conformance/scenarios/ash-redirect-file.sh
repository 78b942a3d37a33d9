# input redirection from a file
while read line; do echo "> $line"; done < /conf/data/words.txt
wc -l < /conf/data/words.txt
read first < /conf/data/words.txt; echo "first=$first"
