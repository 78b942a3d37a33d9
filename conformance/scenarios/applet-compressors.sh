# bzip2, xz round trips through pipes; uuencode -m
seq 200 | bzip2 | bunzip2 | tail -n 1
seq 200 | xz | xzcat | wc -l
echo hello | uuencode -m name
