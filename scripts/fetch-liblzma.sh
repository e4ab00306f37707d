#!/usr/bin/env bash
# Debian 13's static liblzma (xz-utils 5.8, from the trixie suite of the machine's mirror through
# scripts/trixie-apt.sh), extracted into the cache; prints the path of its liblzma.a. build.sh links it into
# the static modkit binary in place of Debian 12's 5.4: its LZMA decoder is much faster (depmod over an .ko.xz
# tree, README "Speed"), and it needs nothing from the C library that glibc 2.36 lacks (checked here).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CACHE=${MODKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modkit}
dest=$CACHE/trixie/liblzma
archive=$dest/root/usr/lib/x86_64-linux-gnu/liblzma.a
if [ ! -f "$dest/done" ]; then
    rm -rf "$dest" && mkdir -p "$dest/debs"
    (cd "$dest/debs" && "$here/trixie-apt.sh" download -qq liblzma-dev >&2)
    dpkg-deb -x "$dest"/debs/liblzma-dev_*.deb "$dest/root"
    [ -f "$archive" ] || { echo "fetch-liblzma: no liblzma.a in $(ls "$dest"/debs)" >&2; exit 1; }
    # Every C library function it calls must exist in this machine's static glibc.
    defined=$(nm --defined-only /usr/lib/x86_64-linux-gnu/libc.a 2>/dev/null | awk 'NF == 3 {print $3}' | sort -u)
    missing=$(nm -u "$archive" | awk '$1 == "U" && $2 !~ /^lzma_/ && $2 != "_GLOBAL_OFFSET_TABLE_" {print $2}' | sort -u |
        comm -23 - <(echo "$defined") | tr '\n' ' ')
    [ -z "$missing" ] || { echo "fetch-liblzma: glibc lacks $missing" >&2; exit 1; }
    touch "$dest/done"
fi
echo "$archive"
