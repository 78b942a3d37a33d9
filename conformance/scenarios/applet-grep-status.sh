# grep exit statuses: match, no match, -q
echo x | grep y
echo "no match: $?"
echo x | grep -q x
echo "quiet match: $?"
echo x | grep -q -e y -e x
echo "either: $?"
