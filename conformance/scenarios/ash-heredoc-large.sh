# a here-document larger than a pipe's buffer
body=$(seq 2000)
cat <<EOF | tail -n 2
$body
EOF
cat <<EOF | wc -c
$body
EOF
