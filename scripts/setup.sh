#!/usr/bin/env bash
# Install what Levitate needs from Debian's packages, only when something is
# missing (a second run costs one dpkg query).  No PyPI: Python libraries come
# from Debian too.
set -eu
packages=(qemu-system-x86 check cpio jq musl-tools python3-pytest python3-pytest-xdist python3-pexpect gdb ccache gcc binutils make pkg-config)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "setup: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
