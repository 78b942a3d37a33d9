# quotes and escapes
echo 'single $HOME' "double \$HOME" \$escaped
echo "tab:\t" 'tab:\t'
echo "a\"b" 'c'\''d'
printf '%s\n' "$(echo '  keep  spaces  ')"
