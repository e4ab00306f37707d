#!/usr/bin/env bash
# Installs ModKit's packages with apt-get into a throwaway copy of a Debian root, then goes back to
# Debian's kmod and libkmod2 the way the README says, and writes what each step left into REPORT:
#   tests/packaging/try-install.sh ROOT REPORT MODKIT-DEB... -- DEBIAN-DEB...
# ROOT is only read: the changes go to an overlay on a tmpfs in a private mount namespace, gone at exit
# (ROOT=/ is this machine's own Debian 12 system). REPORT gets: status-{before,modkit,debian}.txt
# (dpkg-query: package, status, version), install.log, revert.log, and after the install: kmod (the
# installed kmod program), libkmod.so.2 (what the linker cache resolves), ldconfig.txt, modules.txt
# (/etc/modules), init.d-mode.txt (Debian 12: /etc/init.d/kmod's mode), links.txt (each tool's link),
# initramfs.txt (the initramfs's file list, when the root has a kernel and initramfs-tools) and
# initramfs-kmod (its kmod program); kmod-reverted (the kmod program after going back); purge.log and
# after-purge.txt (which of /etc/init.d/kmod, /etc/modules and the kmod program remain after
# dpkg --purge of ModKit's packages).
# Used by tests/ModKit.Tests/Packaging; needs root (unshare, mount, chroot).
set -euo pipefail
root=$1 report=$2
shift 2
modkit=() debian=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do modkit+=("$(realpath "$1")"); shift; done
[ $# -gt 0 ] && shift
for deb in "$@"; do debian+=("$(realpath "$deb")"); done
mkdir -p "$report"
report=$(realpath "$report")

if [ -z "${MODKIT_IN_NAMESPACE:-}" ]; then
    exec env MODKIT_IN_NAMESPACE=1 unshare --mount --propagation private --fork "$0" "$root" "$report" "${modkit[@]}" -- "${debian[@]}"
fi

base=$(mktemp -d)
mount -t tmpfs -o size=2g tmpfs "$base"
mkdir -p "$base/upper" "$base/work" "$base/merged"
mount -t overlay overlay -o "lowerdir=$root,upperdir=$base/upper,workdir=$base/work" "$base/merged"
m=$base/merged
mount -t proc proc "$m/proc"
mount -t tmpfs tmpfs "$m/tmp"
mkdir -p "$m/tmp/debs/modkit" "$m/tmp/debs/debian"
cp "${modkit[@]}" "$m/tmp/debs/modkit/"
cp "${debian[@]}" "$m/tmp/debs/debian/"
in_root() { chroot "$m" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }
status() { in_root dpkg-query -W -f '${Package} ${db:Status-Abbrev} ${Version}\n' | sort >"$report/$1"; }
# apt-get on local files only: no list is read or downloaded (the root's own lists, if any, stay as they are).
apt_install() { in_root apt-get install -y -o Dpkg::Use-Pty=0 -o APT::Get::List-Cleanup=0 "$@"; }

status status-before.txt
apt_install $(cd "$m" && printf '/tmp/debs/modkit/%s ' $(ls tmp/debs/modkit)) >"$report/install.log" 2>&1 ||
    echo "apt-get install failed: $?" >>"$report/install.log"
status status-modkit.txt
for dir in /usr/bin /bin; do
    if [ -f "$m$dir/kmod" ] && [ ! -L "$m$dir/kmod" ]; then cp "$m$dir/kmod" "$report/kmod"; break; fi
done
in_root ldconfig -p >"$report/ldconfig.txt" 2>&1 || true
cp -L "$m/usr/lib/x86_64-linux-gnu/libkmod.so.2" "$report/libkmod.so.2" 2>/dev/null || true
cp "$m/etc/modules" "$report/modules.txt" 2>/dev/null || true
if [ -e "$m/etc/init.d/kmod" ]; then stat -c %a "$m/etc/init.d/kmod" >"$report/init.d-mode.txt"; fi
for tool in /usr/sbin/modprobe /sbin/modprobe /usr/sbin/depmod /sbin/depmod /usr/sbin/insmod /sbin/insmod \
    /usr/sbin/rmmod /sbin/rmmod /usr/sbin/modinfo /sbin/modinfo /usr/sbin/lsmod /sbin/lsmod /usr/bin/lsmod /bin/lsmod; do
    printf '%s %s\n' "$tool" "$(in_root readlink -f "$tool" 2>/dev/null || echo missing)"
done >"$report/links.txt"
initrd=$(ls "$m"/boot/initrd.img-* 2>/dev/null | head -1 || true)
if [ -n "$initrd" ] && in_root sh -c 'command -v lsinitramfs' >/dev/null; then
    in_root lsinitramfs "/boot/${initrd##*/}" >"$report/initramfs.txt" 2>&1 || true
    in_root unmkinitramfs "/boot/${initrd##*/}" /tmp/initramfs >/dev/null 2>&1 || true
    for candidate in main/usr/bin/kmod usr/bin/kmod main/bin/kmod bin/kmod; do
        if [ -f "$m/tmp/initramfs/$candidate" ] && [ ! -L "$m/tmp/initramfs/$candidate" ]; then
            cp "$m/tmp/initramfs/$candidate" "$report/initramfs-kmod"
            break
        fi
    done
fi

if [ ${#debian[@]} -gt 0 ]; then
    apt_install $(cd "$m" && printf '/tmp/debs/debian/%s ' $(ls tmp/debs/debian)) >"$report/revert.log" 2>&1 ||
        echo "apt-get install failed: $?" >>"$report/revert.log"
    status status-debian.txt
    for dir in /usr/bin /bin; do
        if [ -f "$m$dir/kmod" ] && [ ! -L "$m$dir/kmod" ]; then cp "$m$dir/kmod" "$report/kmod-reverted"; break; fi
    done
    # Purging ModKit's packages afterwards leaves kmod's files and /etc/modules alone.
    in_root dpkg --purge modkit modkit-libkmod2 >"$report/purge.log" 2>&1 || echo "dpkg --purge failed: $?" >>"$report/purge.log"
    for file in /etc/init.d/kmod /etc/modules /usr/bin/kmod /bin/kmod; do
        if [ -e "$m$file" ]; then echo "$file"; fi
    done >"$report/after-purge.txt"
fi
umount -l "$m/tmp" "$m/proc" "$m" "$base" 2>/dev/null || true
rmdir "$base" 2>/dev/null || true
