#!/usr/bin/env bash
# Usage: scripts/package.sh 30|34 — Debian packages of the kmod 30 (Debian 12) or kmod 34.2 (Debian 13) profile in artifacts/deb/.
#
# Two packages per profile, replacing Debian's kmod and libkmod2 of that release (Provides, Conflicts
# and Replaces with Debian's exact version, so that everything depending on them stays installed):
#   artifacts/deb/modkit_<version>_amd64.deb          the tools: every path of Debian's kmod package
#   artifacts/deb/modkit-libkmod2_<version>_amd64.deb  libkmod.so.2 where Debian's libkmod2 has it
# <version> is 0.1.0+kmod<30|34>.<commits>.g<commit> (Directory.Build.props' Version, the profile and
# git's HEAD); the packages' file dates are the commit's time (SOURCE_DATE_EPOCH) and every file is
# root's, so that one commit always gives the same bytes. The paths of the packages are printed.
#
# The binaries: $MODKIT_BIN and $MODKIT_LIBKMOD when set (the test suite's), else artifacts/bin and
# artifacts/lib when they are of the profile and newer than every tracked source file, else
# artifacts/kmod<profile>/ (built there by ./build.sh with MODKIT_ARTIFACTS when missing or older than
# the sources; artifacts/bin and artifacts/lib are never overwritten by this script).
set -euo pipefail
cd "$(dirname "$0")/.."
here=$PWD

profile=${1:-}
case "$profile" in
30)
    release=bookworm kmod_version=30 debian_version=30+20221128-1 so_file=libkmod.so.2.4.0
    bindir=/bin sbindir=/sbin libdir=/lib link_target=/bin/kmod
    ;;
34)
    release=trixie kmod_version=34.2 debian_version=34.2-2 so_file=libkmod.so.2.5.1
    bindir=/usr/bin sbindir=/usr/sbin libdir=/usr/lib link_target=../bin/kmod
    ;;
*)
    echo "usage: scripts/package.sh 30|34" >&2
    exit 2
    ;;
esac
log() { echo "package.sh: $*" >&2; }
for tool in dpkg-deb dpkg-shlibdeps readelf; do
    command -v "$tool" >/dev/null || { log "$tool is missing (apt-get install dpkg-dev binutils)"; exit 1; }
done

# --- the binaries of the profile ---
profile_of() { env -u MODKIT_KMOD "$1" -V 2>/dev/null | sed -n 's/^kmod version //p'; }
newest_source=$(git ls-files -z src build.sh Directory.Build.props Directory.Packages.props | xargs -0 stat -c %Y | sort -n | tail -1)
current() { # $1 binary, $2 library
    [ -x "$1" ] && [ -f "$2" ] && [ "$(profile_of "$1")" = "$kmod_version" ] &&
        [ "$(stat -c %Y "$1")" -ge "$newest_source" ] && [ "$(stat -c %Y "$2")" -ge "$newest_source" ]
}
if [ -n "${MODKIT_BIN:-}" ] && [ -n "${MODKIT_LIBKMOD:-}" ]; then
    bin=$MODKIT_BIN lib=$MODKIT_LIBKMOD
    [ "$(profile_of "$bin")" = "$kmod_version" ] || { log "$bin is not the kmod $kmod_version profile"; exit 1; }
elif current artifacts/bin/modkit artifacts/lib/libkmod.so.2; then
    bin=artifacts/bin/modkit lib=artifacts/lib/libkmod.so.2
else
    art=artifacts/kmod$profile
    bin=$art/bin/modkit lib=$art/lib/libkmod.so.2
    if ! current "$bin" "$lib"; then
        log "building the kmod $kmod_version profile into $art"
        MODKIT_ARTIFACTS=$art ./build.sh "-p:KmodCompat=$profile" >/dev/null
    fi
fi
[ "$(profile_of "$bin")" = "$kmod_version" ] || { log "$bin does not behave as kmod $kmod_version"; exit 1; }
readelf -d "$lib" | grep -q 'Library soname: \[libkmod.so.2\]' || { log "$lib has no SONAME libkmod.so.2"; exit 1; }

# --- names, versions, dates ---
base=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -1)
version=$base+kmod$profile.$(git rev-list --count HEAD).g$(git rev-parse --short=7 HEAD)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
maintainer="ModKit maintainers <maintainers@users.noreply.r-seed-8f22e279.example>"
export TZ=UTC LC_ALL=C.UTF-8
umask 022

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
deb=artifacts/deb
mkdir -p "$deb"
rm -f "$deb"/modkit_*+kmod"$profile".*_amd64.deb "$deb"/modkit-libkmod2_*+kmod"$profile".*_amd64.deb

# The parts every package has: copyright, a changelog naming the commit, lintian overrides.
common_docs() { # $1 root, $2 package
    local doc=$1/usr/share/doc/$2
    mkdir -p "$doc"
    install -m 0644 packaging/debian/copyright "$doc/copyright"
    {
        printf '%s (%s) unstable; urgency=medium\n\n' "$2" "$version"
        printf '  * ModKit %s as kmod %s (Debian %s), from commit %s.\n\n' \
            "$base" "$kmod_version" "$release" "$(git rev-parse --short=12 HEAD)"
        printf ' -- %s  %s\n' "$maintainer" "$(date -R -d "@$SOURCE_DATE_EPOCH")"
    } | gzip -9n >"$doc/changelog.gz"
    chmod 0644 "$doc/changelog.gz"
    if [ -f "packaging/debian/$2.lintian-overrides" ]; then
        mkdir -p "$1/usr/share/lintian/overrides"
        install -m 0644 "packaging/debian/$2.lintian-overrides" "$1/usr/share/lintian/overrides/$2"
    fi
}

# md5sums, Installed-Size, file dates; then dpkg-deb with root as every file's owner.
finish() { # $1 root, $2 package
    local root=$1
    (cd "$root" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0r md5sum) >"$root/DEBIAN/md5sums"
    chmod 0644 "$root/DEBIAN/md5sums"
    local size
    size=$(du -sk --apparent-size --exclude=DEBIAN "$root" | cut -f1)
    sed -i "s/^Installed-Size: .*/Installed-Size: $size/" "$root/DEBIAN/control"
    find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
    local out=$deb/${2}_${version}_amd64.deb
    dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
    echo "$out"
}

# --- modkit: the tools, at the paths of Debian's kmod package ---
root=$work/modkit
mkdir -p "$root/DEBIAN" "$root$bindir" "$root$sbindir" "$root/etc/modprobe.d" "$root$libdir/modprobe.d" \
    "$root/usr/share/initramfs-tools/hooks"
install -m 0755 "$bin" "$root$bindir/kmod"
ln -s kmod "$root$bindir/lsmod"
for tool in depmod insmod lsmod modinfo modprobe rmmod; do
    ln -s "$link_target" "$root$sbindir/$tool"
done
{
    cat packaging/debian/aliases.conf
    [ "$profile" = 34 ] || cat packaging/debian/aliases-30.conf
} >"$root$libdir/modprobe.d/aliases.conf"
chmod 0644 "$root$libdir/modprobe.d/aliases.conf"
sed -e "s|@BINDIR@|$bindir|g" -e "s|@SBINDIR@|$sbindir|g" -e "s|@LIBDIR@|$libdir|g" -e "s|@TARGET@|$link_target|g" \
    packaging/debian/initramfs-hook >"$root/usr/share/initramfs-tools/hooks/kmod"
chmod 0755 "$root/usr/share/initramfs-tools/hooks/kmod"
if [ "$profile" = 30 ]; then
    # Debian 12's kmod has an init script (loading /etc/modules on systems without systemd), a conffile.
    mkdir -p "$root/etc/init.d"
    install -m 0755 packaging/debian/kmod.init "$root/etc/init.d/kmod"
    echo /etc/init.d/kmod >"$root/DEBIAN/conffiles"
    chmod 0644 "$root/DEBIAN/conffiles"
else
    # Debian 13's kmod has the depmod.d folders too.
    mkdir -p "$root/etc/depmod.d" "$root/usr/lib/depmod.d"
fi
common_docs "$root" modkit
for script in preinst postinst postrm; do
    [ -f "packaging/debian/modkit.$script" ] || continue
    sed -e "s|@PROFILE@|$profile|g" "packaging/debian/modkit.$script" >"$root/DEBIAN/$script"
    chmod 0755 "$root/DEBIAN/$script"
done
printf '# the initramfs holds the module tools (hooks/kmod)\nactivate-noawait update-initramfs\n' >"$root/DEBIAN/triggers"
chmod 0644 "$root/DEBIAN/triggers"
cat >"$root/DEBIAN/control" <<EOF
Package: modkit
Version: $version
Architecture: amd64
Maintainer: $maintainer
Installed-Size: 0
Provides: kmod (= $debian_version)
Conflicts: kmod
Replaces: kmod
Section: admin
Priority: optional
Multi-Arch: foreign
Description: Linux kernel module tools in C# (in place of kmod $kmod_version)
 ModKit's insmod, rmmod, lsmod, modinfo, modprobe, depmod and kmod: one
 static NativeAOT program behaving as kmod $kmod_version, Debian $release's kmod
 (same options, output, messages, exit statuses and files).
 .
 This package takes the place of Debian's kmod package: same commands, links,
 configuration folders and initramfs-tools hook at the same paths.
EOF
finish "$root" modkit

# --- modkit-libkmod2: libkmod.so.2 where Debian's libkmod2 has it ---
root=$work/lib
multiarch=/usr/lib/x86_64-linux-gnu
mkdir -p "$root/DEBIAN" "$root$multiarch"
install -m 0644 "$lib" "$root$multiarch/$so_file"
ln -s "$so_file" "$root$multiarch/libkmod.so.2"
common_docs "$root" modkit-libkmod2
# Dependencies from the library's own references (libc), through dpkg's shlibs database.
mkdir -p "$work/shlibdeps/debian"
printf 'Source: modkit\n\nPackage: modkit-libkmod2\nArchitecture: amd64\n' >"$work/shlibdeps/debian/control"
depends=$(cd "$work/shlibdeps" && dpkg-shlibdeps -O "$here/$lib" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { log "dpkg-shlibdeps found no dependency of $lib"; exit 1; }
# shlibs and symbols: programs built against this library need a libkmod2 of kmod $kmod_version or later
# (this package provides one); each exported function is listed with its version node's kmod release.
printf 'libkmod 2 libkmod2 (>= %s~)\n' "$kmod_version" >"$root/DEBIAN/shlibs"
{
    echo 'libkmod.so.2 libkmod2 #MINVER#'
    readelf --dyn-syms -W "$lib" | awk '$7 != "UND" && ($8 ~ /@/ || $8 ~ /^LIBKMOD_[0-9]+$/) { print $8 }' |
        sed -e 's/@@*/@/' -e 's/^\(LIBKMOD_[0-9]*\)$/\1@\1/' | sort -u |
        awk -F@ '{ v = $2; sub(/^LIBKMOD_/, "", v); printf " %s@%s %s~\n", $1, $2, v }'
} >"$root/DEBIAN/symbols"
printf '# libkmod.so.2 in the dynamic linker cache\nactivate-noawait ldconfig\n' >"$root/DEBIAN/triggers"
chmod 0644 "$root/DEBIAN/shlibs" "$root/DEBIAN/symbols" "$root/DEBIAN/triggers"
cat >"$root/DEBIAN/control" <<EOF
Package: modkit-libkmod2
Source: modkit
Version: $version
Architecture: amd64
Maintainer: $maintainer
Installed-Size: 0
Depends: $depends
Provides: libkmod2 (= $debian_version)
Conflicts: libkmod2
Replaces: libkmod2
Section: libs
Priority: optional
Multi-Arch: same
Description: libkmod.so.2 built from ModKit (in place of libkmod2 $kmod_version)
 libkmod's C interface (every function of kmod $kmod_version's library, with its
 symbol versions) as a NativeAOT shared library built from ModKit's C# code,
 for the programs that load modules in-process: systemd, udev, dracut.
 .
 This package takes the place of Debian $release's libkmod2 package.
EOF
finish "$root" modkit-libkmod2
