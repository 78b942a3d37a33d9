# chmod and test -x
# blocked-by: 16
mkdir -p /tmp/fs-chmod && cd /tmp/fs-chmod
printf '#!/bin/sh\necho ran script\n' > s.sh
[ -x s.sh ] || echo "not executable"
chmod +x s.sh
[ -x s.sh ] && ./s.sh
