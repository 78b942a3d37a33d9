# here-documents: expansion, quoted delimiter, <<-
name=world
cat <<EOF
hello $name
sum $((1 + 2))
EOF
cat <<'EOF'
literal $name
EOF
cat <<-EOF
	tab stripped
	EOF
