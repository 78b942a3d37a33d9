# id -u and -g: root
id -u
id -g
