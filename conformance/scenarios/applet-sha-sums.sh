# sha1sum, sha256sum, sha512sum of stdin
echo hello | sha1sum
echo hello | sha256sum
echo hello | sha512sum
