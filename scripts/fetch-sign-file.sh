#!/usr/bin/env bash
# Usage: scripts/fetch-sign-file.sh
# Prints the path of the kernel's sign-file tool from Debian 12's linux-kbuild-6.1 package, downloaded
# with apt-get and unpacked once under the cache (nothing is installed or committed).
set -euo pipefail
CACHE=${MODKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modkit}
dir=$CACHE/sign-file
tool=$dir/root/usr/lib/linux-kbuild-6.1/scripts/sign-file
if [ ! -x "$tool" ]; then
    mkdir -p "$dir"
    (cd "$dir" && apt-get download linux-kbuild-6.1 >&2 2>/dev/null) || {
        apt-get update -qq >&2 && (cd "$dir" && apt-get download linux-kbuild-6.1 >&2)
    }
    dpkg-deb -x "$(ls "$dir"/linux-kbuild-6.1_*.deb | head -1)" "$dir/root"
fi
echo "$tool"
