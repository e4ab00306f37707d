#!/usr/bin/env bash
# dracut-install, the libkmod client dracut runs to put kernel modules into an initramfs, from Debian 12's
# dracut-core (dracut 059) and Debian 13's dracut-install (dracut 106). Installing dracut-core here would pull
# in systemd, udev and kpartx, so each package is only downloaded and the one binary extracted:
#   $CACHE/dracut/bookworm/dracut-install   (runs on this machine's loader and libkmod 30)
#   $CACHE/dracut/trixie/dracut-install     (needs glibc 2.38: runs through trixie's loader, scripts/fetch-kmod34.sh)
# Prints $CACHE/dracut. Idempotent; nothing here is committed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CACHE=${MODKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modkit}
dir=$CACHE/dracut
log() { echo "fetch-dracut-install: $*" >&2; }

extract() { # release deb-folder
    local deb
    deb=$(find "$2" -maxdepth 1 -name '*.deb' | head -1)
    [ -n "$deb" ] || { log "no package downloaded for $1"; exit 1; }
    rm -rf "$2/root"
    dpkg-deb -x "$deb" "$2/root"
    install -m 0755 "$2/root/usr/lib/dracut/dracut-install" "$dir/$1/dracut-install"
}

if [ ! -f "$dir/done" ]; then
    command -v dpkg-deb >/dev/null || { log "dpkg-deb missing"; exit 1; }
    rm -rf "$dir"
    mkdir -p "$dir/bookworm/debs" "$dir/trixie/debs"
    log "downloading Debian 12's dracut-core and Debian 13's dracut-install"
    (cd "$dir/bookworm/debs" && apt-get -qq download dracut-core >&2 2>/dev/null) ||
        { apt-get update -qq >&2 && (cd "$dir/bookworm/debs" && apt-get -qq download dracut-core >&2); }
    (cd "$dir/trixie/debs" && "$here/trixie-apt.sh" -qq download dracut-install >&2)
    extract bookworm "$dir/bookworm/debs"
    extract trixie "$dir/trixie/debs"
    "$dir/bookworm/dracut-install" --help >/dev/null || { log "Debian 12's dracut-install does not run"; exit 1; }
    touch "$dir/done"
fi
echo "$dir"
