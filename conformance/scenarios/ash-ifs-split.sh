# field splitting with IFS; read with IFS
line='a:b::c'
IFS=: read -r x y z w <<EOF
$line
EOF
echo "x=$x y=$y z=[$z] w=$w"
IFS=,; set -- $(echo 'p,q,r'); echo "$# $2"
