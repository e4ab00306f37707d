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
. "$(dirname "$0")/debian.sh"

mkdir -p "$(dirname "$dir")"
# One build at a time (several worktrees may ask at once); the others wait for it and use it.
exec 9>"$dir.lock"
flock 9
if [ ! -f "$dir.done" ]; then
    need mmdebstrap
    mirror=$(debian_mirror)
    log "building a trixie root with linux-headers-$release (mmdebstrap, $mirror; takes minutes)"
    rm -rf "$dir" "$dir.tmp"
    mmdebstrap --quiet --variant=minbase --include="make,linux-headers-$release" \
        trixie "$dir.tmp" "$mirror" >&2
    mv -T "$dir.tmp" "$dir"
    touch "$dir.done"
fi
echo "$dir"
