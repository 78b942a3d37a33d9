# getopt parses options
getopt ab:c -a -b val -c rest
