#!/usr/bin/env bash
# Install what Levitate needs from Debian's packages, only when something is
# missing (a second run costs one dpkg query).  No PyPI: Python libraries come
# from Debian too.
set -eu
packages=(qemu-system-x86 check cpio jq musl-tools python3-pytest python3-pytest-xdist python3-pexpect gdb ccache gcc binutils make pkg-config)
# One dpkg-query for them all (make run and make test call this every time).
installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null |
	sed -n 's/ install ok installed$//p')
missing=()
for p in "${packages[@]}"; do
	grep -qx -- "$p" <<<"$installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "setup: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
