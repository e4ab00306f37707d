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
. "$(dirname "$0")/../../scripts/debian.sh"

mkdir -p "$(dirname "$dir")"
exec 9>"$dir.lock"
flock 9
packages=systemd-sysv,udev,dbus,kmod,initramfs-tools,zstd,linux-image-amd64,mount,xfsprogs
# The .done file holds the package list the root was made with: a changed list makes it anew.
if [ "$(cat "$dir.done" 2>/dev/null)" != "$packages" ]; then
    need mmdebstrap
    mirror=$(debian_mirror)
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
