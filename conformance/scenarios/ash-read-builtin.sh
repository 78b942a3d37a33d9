# read: several variables, -r, the rest in the last
echo 'one two three four' | { read a b c; echo "a=$a b=$b c=$c"; }
echo 'back\slash' | { read -r v; echo "$v"; }
echo 'back\slash' | { read v; echo "$v"; }
