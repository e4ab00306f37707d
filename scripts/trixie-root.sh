#!/usr/bin/env bash
# A Debian 13 (trixie) root with the compiler and the kernel headers that Debian 13's modules are built with
# (gcc-14, make and linux-headers-<release>), made once with mmdebstrap from the trixie suite of the mirror the
# machine's apt configuration names. Out-of-tree modules (examples/hello) are built in it with chroot, since
# the headers' tools (fixdep, modpost) and the compiler need trixie's glibc.
#   scripts/trixie-root.sh <release>     e.g. 6.12.117+deb13-amd64
# Prints the root's folder ($CACHE/trixie/root-<release>) on stdout. Idempotent; nothing here is committed.
set -euo pipefail
release=${1:?usage: trixie-root.sh <release>}
CACHE=${MODKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modkit}
dir=$CACHE/trixie/root-$release
log() { echo "trixie-root: $*" >&2; }

mkdir -p "$(dirname "$dir")"
# One build at a time (several worktrees may ask at once); the others wait for it and use it.
exec 9>"$dir.lock"
flock 9
if [ ! -f "$dir.done" ]; then
    if ! command -v mmdebstrap >/dev/null; then
        log "installing mmdebstrap"
        [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' 2>/dev/null | head -1)" ] || apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >&2
    fi
    mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}')
    [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list 2>/dev/null | head -1)
    [ -n "$mirror" ] || { log "no Debian mirror in /etc/apt"; exit 1; }
    log "building a trixie root with linux-headers-$release (mmdebstrap, $mirror; takes minutes)"
    rm -rf "$dir" "$dir.tmp"
    mmdebstrap --quiet --variant=minbase --include="make,linux-headers-$release" \
        trixie "$dir.tmp" "$mirror" >&2
    mv -T "$dir.tmp" "$dir"
    touch "$dir.done"
fi
echo "$dir"
