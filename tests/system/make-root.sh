#!/usr/bin/env bash
# A whole Debian system for tests/system/run.sh, made once with mmdebstrap from the mirror of the machine's
# apt configuration: systemd as init, udev, initramfs-tools with the initramfs its own update-initramfs made,
# Debian's linux-image-amd64 and kmod, dbus (logind needs it) and xfsprogs (the check makes an xfs image; not btrfs-progs, whose initramfs
# script loads btrfs at every boot).
#   tests/system/make-root.sh 13|12
# Prints the root's folder ($CACHE/system/debian<N>/root) on stdout. Idempotent; nothing here is committed.
set -euo pipefail
debian=${1:?usage: make-root.sh 13|12}
case $debian in 13) suite=trixie ;; 12) suite=bookworm ;; *) echo "make-root: 13 or 12" >&2; exit 2 ;; esac
CACHE=${MODKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modkit}
dir=$CACHE/system/debian$debian/root
log() { echo "system: $*" >&2; }

mkdir -p "$(dirname "$dir")"
exec 9>"$dir.lock"
flock 9
packages=systemd-sysv,udev,dbus,kmod,initramfs-tools,zstd,linux-image-amd64,mount,xfsprogs
# The .done file holds the package list the root was made with: a changed list makes it anew.
if [ "$(cat "$dir.done" 2>/dev/null)" != "$packages" ]; then
    if ! command -v mmdebstrap >/dev/null; then
        log "installing mmdebstrap"
        [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' 2>/dev/null | head -1)" ] || apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >&2
    fi
    mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}')
    [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list 2>/dev/null | head -1)
    [ -n "$mirror" ] || { log "no Debian mirror in /etc/apt"; exit 1; }
    log "building a Debian $debian ($suite) system with mmdebstrap from $mirror (takes minutes)"
    rm -rf "$dir" "$dir.tmp"
    # The initramfs is made in the root by its own update-initramfs (linux-image-amd64's postinst);
    # no resume device, and the root file system is the first virtio disk.
    mmdebstrap --quiet --variant=minbase \
        --include="$packages" \
        --essential-hook='mkdir -p "$1/etc/initramfs-tools/conf.d" && echo RESUME=none >"$1/etc/initramfs-tools/conf.d/resume"' \
        --customize-hook='echo "/dev/vda / ext4 rw,errors=remount-ro 0 1" >"$1/etc/fstab"' \
        --customize-hook='echo modkit-system >"$1/etc/hostname"' \
        --customize-hook='chroot "$1" passwd -d root >/dev/null' \
        "$suite" "$dir.tmp" "$mirror" >&2
    mv -T "$dir.tmp" "$dir"
    echo "$packages" >"$dir.done"
fi
echo "$dir"
