#!/usr/bin/env bash
# Downloads the modules of Debian 12's current linux-image-amd64 with apt-get and prepares three trees:
#   $CACHE/<release>/plain/lib/modules/<release>   the package's .ko files as shipped
#   $CACHE/<release>/xz/lib/modules/<release>      every .ko compressed as the kernel does (.ko.xz)
#   $CACHE/<release>/zst/lib/modules/<release>     every .ko compressed as the kernel does (.ko.zst)
# each with the index files of kmod's depmod.
# Prints the cache directory of the release on stdout. Idempotent: finished steps are skipped.
# Nothing here is committed: the cache lives outside the repository.
set -euo pipefail

CACHE=${MODKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modkit}
log() { echo "fetch-kernel: $*" >&2; }

need() {
    local missing=()
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' 2>/dev/null | head -1)" ]; then
            apt-get update -qq >&2
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    fi
}
need xz-utils zstd dpkg-dev kmod

if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' 2>/dev/null | head -1)" ]; then apt-get update -qq >&2; fi
pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$pkg" ] || { log "cannot resolve linux-image-amd64"; exit 1; }
release=${pkg#linux-image-}
dir=$CACHE/$release
mkdir -p "$dir"

if [ ! -f "$dir/plain.done" ]; then
    log "downloading $pkg"
    tmp=$(mktemp -d "$dir/dl.XXXXXX")
    (cd "$tmp" && apt-get download "$pkg" >&2)
    rm -rf "$dir/plain"
    dpkg-deb -x "$tmp"/*.deb "$tmp/x"
    mkdir -p "$dir/plain/lib/modules"
    src=$tmp/x/lib/modules/$release
    [ -d "$src" ] || src=$tmp/x/usr/lib/modules/$release
    mv "$src" "$dir/plain/lib/modules/$release"
    cp "$tmp"/x/boot/vmlinuz-* "$dir/" 2>/dev/null || true
    cp "$tmp"/x/boot/config-* "$dir/" 2>/dev/null || true
    cp "$tmp"/x/boot/System.map-* "$dir/" 2>/dev/null || true
    rm -rf "$tmp"
    touch "$dir/plain.done"
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
compress_tree xz xz --check=crc32 --lzma2=dict=1MiB -q
compress_tree zst zstd --rm -q -f

# Index files made by kmod's own depmod, for lookups by name and alias (the oracle's view of each tree).
for kind in plain xz zst; do
    if [ ! -f "$dir/$kind.depmod.done" ]; then
        log "running kmod's depmod over the $kind tree"
        /sbin/depmod -b "$dir/$kind" "$release"
        touch "$dir/$kind.depmod.done"
    fi
done

echo "$dir"
