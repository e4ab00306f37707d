#!/usr/bin/env bash
# Debian 13's kmod 34.2 as an oracle on this Debian 12 machine. Its binary needs glibc 2.38, so it runs
# through trixie's own dynamic loader: the packages kmod, libkmod2 and the libraries they load (libc6,
# libssl3t64, liblzma5, libzstd1, zlib1g) are downloaded with scripts/trixie-apt.sh and unpacked, and
# one wrapper per tool name runs
#   ld-linux-x86-64.so.2 --library-path <trixie libs> --argv0 TOOL <trixie>/usr/bin/kmod ARGS
# Prints the folder of the wrappers (kmod insmod rmmod lsmod modinfo modprobe depmod) on stdout.
# Idempotent; nothing here is committed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CACHE=${MODKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modkit}
dir=$CACHE/trixie/kmod
log() { echo "fetch-kmod34: $*" >&2; }

if [ ! -f "$dir/done" ]; then
    command -v dpkg-deb >/dev/null || { log "dpkg-deb missing"; exit 1; }
    rm -rf "$dir"
    mkdir -p "$dir/debs" "$dir/root" "$dir/bin"
    log "downloading trixie's kmod and its libraries"
    (cd "$dir/debs" && "$here/trixie-apt.sh" -qq download kmod libkmod2 libc6 libssl3t64 liblzma5 libzstd1 zlib1g >&2)
    for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
    root=$dir/root
    loader=$(find "$root" -name 'ld-linux-x86-64.so.2' -path '*x86_64-linux-gnu*' | head -1)
    [ -n "$loader" ] || loader=$(find "$root" -name 'ld-linux-x86-64.so.2' | head -1)
    kmod=$root/usr/bin/kmod
    [ -x "$kmod" ] || kmod=$root/bin/kmod
    libs=$root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu
    for tool in kmod insmod rmmod lsmod modinfo modprobe depmod; do
        printf '#!/bin/sh\nexec %s --library-path %s --argv0 %s %s "$@"\n' "$loader" "$libs" "$tool" "$kmod" >"$dir/bin/$tool"
        chmod +x "$dir/bin/$tool"
    done
    "$dir/bin/kmod" -V | grep -q '^kmod version 34' || { log "the unpacked kmod does not run"; exit 1; }
    touch "$dir/done"
fi
echo "$dir/bin"
