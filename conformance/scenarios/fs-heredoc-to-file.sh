# cat > file <<EOF, then grep it
# blocked-by: 16
mkdir -p /tmp/fs-here && cd /tmp/fs-here
cat > notes <<EOF
alpha
beta
gamma
EOF
grep -n a notes
