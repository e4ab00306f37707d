#!/usr/bin/env bash
# Usage: scripts/fetch-kernel.sh [bookworm|trixie]
# bookworm (the default): downloads the modules of Debian 12's current linux-image-amd64 with apt-get
# and prepares three trees, each with the index files of kmod 30's depmod:
#   $CACHE/<release>/plain/lib/modules/<release>   the package's .ko files as shipped
#   $CACHE/<release>/xz/lib/modules/<release>      every .ko compressed as the kernel does (.ko.xz)
#   $CACHE/<release>/zst/lib/modules/<release>     every .ko compressed as the kernel does (.ko.zst)
# trixie: Debian 13's linux-image-amd64 (through scripts/trixie-apt.sh, the machine's apt state untouched),
# whose modules ship as signed .ko.xz, in two trees, each with the index files of kmod 34.2's depmod
# (scripts/fetch-kmod34.sh):
#   $CACHE/<release>/xz/lib/modules/<release>      the package's .ko.xz files as shipped
#   $CACHE/<release>/plain/lib/modules/<release>   the same modules decompressed (.ko)
# Prints the cache directory of the release on stdout. Idempotent: finished steps are skipped.
# Nothing here is committed: the cache lives outside the repository.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
suite=${1:-bookworm}
CACHE=${MODKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modkit}
log() { echo "fetch-kernel: $*" >&2; }
. "$here/debian.sh"

need xz-utils zstd dpkg-dev kmod

case $suite in
    bookworm)
        if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' 2>/dev/null | head -1)" ]; then apt-get update -qq >&2; fi
        apt_cache() { apt-cache "$@"; }
        apt_get() { apt-get "$@"; }
        kinds=(plain xz zst)
        oracle_depmod=/sbin/depmod
        ;;
    trixie)
        apt_cache() { "$here/trixie-apt.sh" apt-cache "$@"; }
        apt_get() { "$here/trixie-apt.sh" "$@"; }
        kinds=(xz plain)
        oracle_depmod=$("$here/fetch-kmod34.sh")/depmod
        ;;
    *) log "unknown suite $suite (bookworm or trixie)"; exit 2 ;;
esac
pkg=$(apt_cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$pkg" ] || { log "cannot resolve linux-image-amd64"; exit 1; }
release=${pkg#linux-image-}
dir=$CACHE/$release
mkdir -p "$dir"

if [ ! -f "$dir/plain.done" ]; then
    log "downloading $pkg"
    tmp=$(mktemp -d "$dir/dl.XXXXXX")
    (cd "$tmp" && apt_get download "$pkg" >&2)
    shipped=${kinds[0]}
    rm -rf "${dir:?}/$shipped"
    dpkg-deb -x "$tmp"/*.deb "$tmp/x"
    mkdir -p "$dir/$shipped/lib/modules"
    src=$tmp/x/lib/modules/$release
    [ -d "$src" ] || src=$tmp/x/usr/lib/modules/$release
    mv "$src" "$dir/$shipped/lib/modules/$release"
    cp "$tmp"/x/boot/vmlinuz-* "$dir/" 2>/dev/null || true
    cp "$tmp"/x/boot/config-* "$dir/" 2>/dev/null || true
    cp "$tmp"/x/boot/System.map-* "$dir/" 2>/dev/null || true
    rm -rf "$tmp"
    touch "$dir/$shipped.done"
fi

compress_tree() { # <suffix> <command...>
    local kind=$1; shift
    [ -f "$dir/$kind.done" ] && return
    log "building the .ko.$kind tree"
    rm -rf "$dir/$kind"
    cp -a "$dir/plain" "$dir/$kind"
    (cd "$dir/$kind" && find . -name '*.ko' -print0 | xargs -0 -r -P "$(nproc)" -n 32 "$@")
    touch "$dir/$kind.done"
}
# The kernel's own settings (scripts/Makefile.modinst): xz with a CRC32 check and a 1 MiB dictionary
# so that the kernel's in-tree decompressor accepts the files; zstd at its default level.
# Debian 13's tree ships compressed: the plain tree is its modules decompressed.
decompress_tree() {
    [ -f "$dir/plain.done" ] && return
    log "building the plain tree"
    rm -rf "$dir/plain"
    cp -a "$dir/xz" "$dir/plain"
    (cd "$dir/plain" && find . -name '*.ko.xz' -print0 | xargs -0 -r -P "$(nproc)" -n 32 xz -d -q)
    touch "$dir/plain.done"
}
if [ "$suite" = bookworm ]; then
    compress_tree xz xz --check=crc32 --lzma2=dict=1MiB -q
    compress_tree zst zstd --rm -q -f
else
    decompress_tree
fi

# Index files made by kmod's own depmod, for lookups by name and alias (the oracle's view of each tree).
for kind in "${kinds[@]}"; do
    if [ ! -f "$dir/$kind.depmod.done" ]; then
        log "running kmod's depmod over the $kind tree"
        "$oracle_depmod" -b "$dir/$kind" "$release"
        touch "$dir/$kind.depmod.done"
    fi
done

echo "$dir"
