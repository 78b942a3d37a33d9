# which finds /bin/sh
which sh
which no-such-thing
echo "status: $?"
