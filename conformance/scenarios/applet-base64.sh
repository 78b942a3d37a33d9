# base64 encode and decode
echo hello | base64
echo aGVsbG8K | base64 -d
printf 'abcdefghijklmnopqrstuvwxyz0123456789' | base64
