# dos2unix and unix2dos on stdin
printf 'a\r\nb\r\n' | dos2unix | od -An -c
printf 'a\nb\n' | unix2dos | od -An -c
