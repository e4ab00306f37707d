#!/usr/bin/env bash
# Boots Debian's current kernel (linux-image-amd64) under QEMU with software emulation and runs
# scenario scripts inside it, with modkit, that release's kmod (the oracle) and busybox side by side.
#
#   tests/vm/run.sh [--debian 12|13] [scenario ...]      default: every scenario of that release
#
# --debian 12 (the default): Debian 12's 6.1 kernel, kmod 30 (this machine's /usr/bin/kmod), modkit
# with MODKIT_KMOD=30. --debian 13: Debian 13's 6.12 kernel (CONFIG_MODULE_DECOMPRESS=y, modules
# shipped as signed .ko.xz), trixie's kmod 34.2 with trixie's glibc, libcrypto, liblzma, libzstd and
# zlib at their usual places in the initramfs (scripts/fetch-kmod34.sh), modkit with MODKIT_KMOD=34;
# examples/hello is built with trixie's gcc-14 and headers in a trixie root (scripts/trixie-root.sh).
# The initramfs has Debian 13's merged /usr (/lib -> usr/lib). Scenarios see DEBIAN (12 or 13),
# KMOD_VERSION (30 or 34.2) and MODULE_DIR (/lib/modules/<release>).
#
# A scenario may start with "# debian: 13" (the releases it runs on; default both),
# "# modules: ext4 jbd2" (Debian modules copied into /modules: the .ko, and on Debian 13 also the
# package's own .ko.xz),
# "# tree: ext4 jbd2" (Debian modules copied to their place under /lib/modules/<release>, with
# examples/hello as extra/hello.ko, and indexed there by that release's kmod depmod) and
# "# libkmod: client" (tests/vm/libkmod-load.c, linked once against that release's libkmod, as
# /kmod/bin/libkmod-load, and once against ModKit's libkmod.so.2, as /modkit/bin/libkmod-load with its
# run path /modkit/lib, where the library goes; Debian 13: trixie's libkmod 34.2 and libm beside its glibc),
# "# append: module.sig_enforce=1" (kernel command-line words), "# smp: 2" (virtual CPUs, default 1) and "# timeout: 600" (seconds for
# the boot, default 300; MODKIT_VM_TIMEOUT overrides both). Each scenario boots once; its serial
# output (between the init's markers) is printed on stdout under a "== <scenario>" header (with
# " (Debian 13)" in that mode). The exit
# status is 0 when every boot reached its end marker and no scenario line starts with "FAIL".
# Prepares, once and outside git: the kernel package (scripts/fetch-kernel.sh), the matching
# linux-headers (apt-get; Debian 13: in the trixie root), examples/hello built against them, and the
# NativeAOT binary (build.sh).
# Environment: MODKIT_BIN (a built binary), MODKIT_LIBKMOD (a built libkmod.so.2; default the one
# build.sh puts beside MODKIT_BIN's artifacts), MODKIT_VM_KEEP=1 (keep the boot files),
# MODKIT_VM_APPEND (more kernel command-line words), MODKIT_VM_TIMEOUT (seconds per boot).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
log() { echo "vm: $*" >&2; }
. "$repo/scripts/debian.sh"

debian=12
if [ "${1:-}" = --debian ]; then debian=${2:-}; shift 2 || true
elif [[ "${1:-}" == --debian=* ]]; then debian=${1#--debian=}; shift
fi
case $debian in 12|13) ;; *) log "--debian takes 12 or 13"; exit 2 ;; esac
need qemu-system-x86 busybox-static cpio kmod gcc make xz-utils zstd perl

if [ "$debian" = 12 ]; then
    kernel_dir=$("$repo/scripts/fetch-kernel.sh")
    kmod_version=30
else
    kernel_dir=$("$repo/scripts/fetch-kernel.sh" trixie)
    kmod34=$(dirname "$("$repo/scripts/fetch-kmod34.sh")")/root   # trixie's kmod and libraries, unpacked
    kmod_version=34.2
fi
release=$(basename "$kernel_dir")
vmlinuz=$kernel_dir/vmlinuz-$release
modules=$kernel_dir/plain/lib/modules/$release
[ -f "$vmlinuz" ] || { log "no $vmlinuz"; exit 1; }
if [ "$debian" = 12 ]; then
    need "linux-headers-$release"
    headers_root=
else
    headers_root=$("$repo/scripts/trixie-root.sh" "$release")
fi

# Boot files go to a folder of this run (several worktrees may run the harness at once); the
# built hello module is shared, keyed by its sources' hash and published atomically.
work=$(mktemp -d "${TMPDIR:-/tmp}/modkit-vm.XXXXXX")
[ -n "${MODKIT_VM_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
sources_hash=$(cat "$repo"/examples/hello/{hello.c,Kbuild,Makefile} | sha256sum | cut -c1-16)
hello=$kernel_dir/hello-$sources_hash
if [ ! -f "$hello/hello.ko" ]; then
    log "building examples/hello for $release"
    if [ -z "$headers_root" ]; then
        build=$(mktemp -d "$kernel_dir/hello-build.XXXXXX")
        cp "$repo/examples/hello/hello.c" "$repo/examples/hello/Kbuild" "$repo/examples/hello/Makefile" "$build/"
        make -s -C "$build" KDIR="/usr/src/linux-headers-$release" >"$build/build.log" 2>&1 || { cat "$build/build.log" >&2; exit 1; }
    else
        # Debian 13's headers run trixie's gcc-14 and their own tools (fixdep, modpost): inside the root.
        inside=$(mktemp -d "$headers_root/tmp/hello-build.XXXXXX")
        cp "$repo/examples/hello/hello.c" "$repo/examples/hello/Kbuild" "$repo/examples/hello/Makefile" "$inside/"
        chroot "$headers_root" make -s -C "/tmp/$(basename "$inside")" KDIR="/usr/src/linux-headers-$release" \
            >"$inside/build.log" 2>&1 || { cat "$inside/build.log" >&2; exit 1; }
        build=$(mktemp -d "$kernel_dir/hello-build.XXXXXX")
        cp -a "$inside/." "$build/"
        rm -rf "$inside"
    fi
    mv -T "$build" "$hello" 2>/dev/null || rm -rf "$build"
fi

modkit=${MODKIT_BIN:-}
if [ -z "$modkit" ]; then
    modkit=$repo/$("$repo/build.sh")
fi
libkmod=${MODKIT_LIBKMOD:-$repo/artifacts/lib/libkmod.so.2}

# The libkmod client of "# libkmod: client" scenarios, compiled once a run against libkmod-dev's header:
# linked against the release's libkmod (Debian 12's: this machine's; Debian 13's: trixie's libkmod 34.2,
# whose glibc symbols this machine's linker cannot check) and against ModKit's.
build_clients() {
    [ ! -f "$work/libkmod-load.kmod" ] || return 0
    need libkmod-dev
    [ -f "$libkmod" ] || { log "no $libkmod (build.sh builds it; or set MODKIT_LIBKMOD)"; exit 1; }
    local src=$here/libkmod-load.c flags=(-O2 -Wall -Werror)
    if [ "$debian" = 12 ]; then
        gcc "${flags[@]}" -o "$work/libkmod-load.kmod" "$src" -lkmod
    else
        gcc "${flags[@]}" -o "$work/libkmod-load.kmod" "$src" \
            "$kmod34/usr/lib/x86_64-linux-gnu/libkmod.so.2" -Wl,--allow-shlib-undefined
    fi
    gcc "${flags[@]}" -o "$work/libkmod-load.modkit" "$src" "$libkmod" -Wl,-rpath,/modkit/lib
}

# Copies a binary and the shared libraries it needs (none for a static one) into the initramfs.
copy_with_libs() { # <root> <file>
    local root=$1 file=$2
    local libs
    libs=$( { ldd "$file" 2>/dev/null || true; } | awk '/=>/ { print $3 } $1 ~ /^\// { print $1 }' | sort -u)
    for lib in $libs; do
        [ -e "$lib" ] || continue
        mkdir -p "$root$(dirname "$lib")"
        cp -L "$lib" "$root$lib"
    done
}

# Flips one byte of a signed module's PKCS#7 message (offset from the message's start, negative from its end,
# or oid:<hex>: the byte after the first occurrence of those bytes) or of its struct module_signature (d<offset>).
flip() { # <in> <out> <where>
    perl -0777 -e '
        local $/; open(my $f, "<:raw", $ARGV[0]) or die; my $d = <$f>; my $w = $ARGV[2];
        my $n = unpack("N", substr($d, length($d) - 32, 4)); my $start = length($d) - 40 - $n;
        my $at = $w =~ /^d(\d+)$/ ? length($d) - 40 + $1
            : $w =~ /^oid:(\w+)$/ ? $start + index(substr($d, $start, $n), pack("H*", $1)) + length($1) / 2
            : $w < 0 ? $start + $n + $w : $start + $w;
        substr($d, $at, 1) = chr(ord(substr($d, $at, 1)) ^ 1);
        open(my $o, ">:raw", $ARGV[1]) or die; print $o $d;' "$1" "$2" "$3"
}

prepare_verify() { # <dir> <module>
    local dir=$1 m=$2 f
    mkdir -p "$dir"
    f=$(find "$modules/kernel" -name "$m.ko" | head -1)
    cp "$f" "$dir/$m.ko"
    cp "$hello/hello.ko" "$dir/hello.ko"
    # In the message, the first SHA-2 object identifier is digestAlgorithms' and the first id-data is the content
    # type: the last byte of each (the one after the prefix) is changed.
    perl -0777 -e 'local $/; open(my $f, "<:raw", $ARGV[0]); my $d = <$f>; substr($d, 100, 1) = chr(ord(substr($d, 100, 1)) ^ 1);
        open(my $o, ">:raw", $ARGV[1]); print $o $d;' "$dir/$m.ko" "$dir/$m-content.ko"
    flip "$dir/$m.ko" "$dir/$m-signature.ko" -1
    flip "$dir/$m.ko" "$dir/$m-contenttype.ko" oid:2a864886f70d0107
    flip "$dir/$m.ko" "$dir/$m-digestalgorithms.ko" oid:6086480165030402
    flip "$dir/$m.ko" "$dir/$m-descriptor.ko" d0
    # hello signed with a fresh key the kernel does not know.
    openssl req -new -x509 -nodes -newkey rsa:2048 -keyout "$work/fresh.key" -out "$work/fresh.pem" \
        -subj "/CN=ModKit VM fresh key" -days 2 2>/dev/null
    "$("$repo/scripts/fetch-sign-file.sh")" sha256 "$work/fresh.key" "$work/fresh.pem" "$hello/hello.ko" "$dir/hello-freshkey.ko"
    if [ "$debian" = 13 ]; then
        cp "$kernel_dir/xz/lib/modules/$release/${f#"$modules"/}.xz" "$dir/$m.ko.xz"
        xz --check=crc32 --lzma2=dict=1MiB -c "$dir/$m-content.ko" > "$dir/$m-content.ko.xz"
    fi
    [ -s "$work/kernel-certs.der" ] || "$repo/scripts/kernel-certs.sh" "$vmlinuz" "$work/kernel-certs.der"
    for f in "$dir"/*.ko*; do
        (exec -a modinfo "$modkit" -F verify --verify="$work/kernel-certs.der" "$f") > "$f.verdict" || true
    done
}

build_initramfs() { # <scenario> <output>
    local scenario=$1 out=$2 root
    root=$(mktemp -d "$work/root.XXXXXX")
    if [ "$debian" = 12 ]; then
        mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,modules,modkit/bin,kmod/bin,usr/bin,lib/modules/$release}
    else
        # Debian 13's merged /usr: /lib/modules is /usr/lib/modules.
        mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,modules,modkit/bin,kmod/bin,usr/bin,usr/lib/modules/$release}
        ln -s usr/lib "$root/lib"
    fi
    cp /bin/busybox "$root/bin/busybox"
    for tool in sh mount poweroff cat echo ls grep sed diff mkdir rm cp sleep dmesg test tr wc head tail uname xz zstd timeout; do
        ln -s busybox "$root/bin/$tool"
    done
    install -m 0755 "$modkit" "$root/usr/bin/modkit"
    copy_with_libs "$root" "$modkit"
    if [ "$debian" = 12 ]; then
        cp /usr/bin/kmod "$root/usr/bin/kmod"
        copy_with_libs "$root" /usr/bin/kmod
    else
        # trixie's kmod with the libraries it links (libc, libcrypto) and opens (liblzma, libzstd, zlib),
        # run by trixie's dynamic loader at kmod's interpreter path, as on Debian 13.
        local lib=usr/lib/x86_64-linux-gnu
        mkdir -p "$root/$lib" "$root/usr/lib64"
        cp "$kmod34/usr/bin/kmod" "$root/usr/bin/kmod"
        for so in ld-linux-x86-64.so.2 libc.so.6 libcrypto.so.3 liblzma.so.5 libzstd.so.1 libz.so.1; do
            cp -L "$kmod34/$lib/$so" "$root/$lib/$so"
        done
        ln -s ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$root/usr/lib64/ld-linux-x86-64.so.2"
        ln -s usr/lib64 "$root/lib64"
    fi
    for tool in insmod rmmod lsmod modinfo modprobe depmod; do
        ln -s /usr/bin/modkit "$root/modkit/bin/$tool"
        ln -s /usr/bin/kmod "$root/kmod/bin/$tool"
    done
    if grep -q '^# libkmod: client' "$scenario"; then
        build_clients
        install -m 0755 "$work/libkmod-load.kmod" "$root/kmod/bin/libkmod-load"
        install -m 0755 "$work/libkmod-load.modkit" "$root/modkit/bin/libkmod-load"
        mkdir -p "$root/modkit/lib"
        cp "$libkmod" "$root/modkit/lib/libkmod.so.2"
        if [ "$debian" = 12 ]; then
            copy_with_libs "$root" "$work/libkmod-load.kmod"
            copy_with_libs "$root" "$libkmod"
        else
            # ModKit's library needs libm beside trixie's libc; Debian's, libkmod 34.2 (and what kmod has).
            for so in libkmod.so.2 libm.so.6; do
                cp -L "$kmod34/usr/lib/x86_64-linux-gnu/$so" "$root/usr/lib/x86_64-linux-gnu/$so"
            done
        fi
    fi
    cp "$hello/hello.ko" "$root/modules/hello.ko"
    xz --check=crc32 --lzma2=dict=1MiB -c "$hello/hello.ko" > "$root/modules/hello.ko.xz"
    zstd -q -c "$hello/hello.ko" > "$root/modules/hello.ko.zst"
    # The same module with a version magic this kernel refuses ("mod_unload" changed, same length).
    perl -0777 -pe 's/mod_unload /mod_unloaX /' "$hello/hello.ko" > "$root/modules/hello-badmagic.ko"
    xz --check=crc32 --lzma2=dict=1MiB -c "$root/modules/hello-badmagic.ko" > "$root/modules/hello-badmagic.ko.xz"
    # xz's default CRC64 check, which the kernel's in-tree xz decompressor does not implement.
    xz --check=crc64 --lzma2=dict=1MiB -c "$hello/hello.ko" > "$root/modules/hello-crc64.ko.xz"
    # Debian's own (signed) modules a scenario asks for with a "# modules: a b c" line.
    for m in $(sed -n 's/^# modules: //p' "$scenario"); do
        f=$(find "$modules/kernel" -name "$m.ko" | head -1)
        [ -n "$f" ] || { log "$scenario: no module $m in $release"; exit 1; }
        cp "$f" "$root/modules/"
        if [ "$debian" = 13 ]; then
            # The package's own file: signed, then compressed with xz (CRC32 check) by Debian's build.
            xz=$kernel_dir/xz/lib/modules/$release/${f#"$modules"/}.xz
            [ -f "$xz" ] || { log "$scenario: no $xz"; exit 1; }
            cp "$xz" "$root/modules/"
        fi
    done
    # "# verify: crc16": signature cases in /modules/verify, each with ModKit's verdict (modinfo -F verify
    # --verify=<the kernel's built-in certificates>, run here on the host) in <file>.verdict.
    local verify
    verify=$(sed -n 's/^# verify: //p' "$scenario")
    [ -z "$verify" ] || prepare_verify "$root/modules/verify" "$verify"
    # A small module directory for modprobe: the "# tree:" modules where the package has them.
    local tree
    tree=$(sed -n 's/^# tree: //p' "$scenario")
    if [ -n "$tree" ]; then
        local dest=$root/lib/modules/$release src=$modules suffix=.ko depmod=/sbin/depmod
        if [ "$debian" = 13 ]; then
            # The package's .ko.xz files as shipped, indexed by kmod 34.2's depmod.
            src=$kernel_dir/xz/lib/modules/$release suffix=.ko.xz depmod=$(dirname "$kmod34")/bin/depmod
        fi
        for m in $tree; do
            f=$(cd "$src" && find kernel -name "$m$suffix" | head -1)
            [ -n "$f" ] || { log "$scenario: no module $m in $release"; exit 1; }
            mkdir -p "$dest/$(dirname "$f")"
            cp "$src/$f" "$dest/$f"
        done
        mkdir -p "$dest/extra"
        cp "$hello/hello.ko" "$dest/extra/hello.ko"
        cp "$src"/modules.{builtin,builtin.modinfo,order} "$dest/"
        "$depmod" -b "$root" "$release"
    fi
    printf 'DEBIAN=%s\nKMOD_VERSION=%s\nMODULE_DIR=/lib/modules/%s\nexport MODKIT_KMOD=%s\n' \
        "$debian" "$kmod_version" "$release" "${kmod_version%%.*}" > "$root/vm.env"
    install -m 0755 "$here/init.sh" "$root/init"
    install -m 0644 "$scenario" "$root/scenario.sh"
    (cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 > "$out"
    rm -rf "$root"
}

# The releases a scenario runs on ("# debian: 13"; both when absent).
runs_on() { # <scenario>
    local releases
    releases=$(sed -n 's/^# debian: //p' "$1")
    [ -z "$releases" ] || [[ " $releases " == *" $debian "* ]]
}
scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
    for scenario in "$here"/scenarios/*.sh; do
        if runs_on "$scenario"; then scenarios+=("$scenario"); fi
    done
fi
status=0
for scenario in "${scenarios[@]}"; do
    [ -f "$scenario" ] || scenario=$here/scenarios/$scenario.sh
    name=$(basename "$scenario" .sh)
    if ! runs_on "$scenario"; then
        log "$name: not a Debian $debian scenario (# debian: $(sed -n 's/^# debian: //p' "$scenario"))"
        status=1
        continue
    fi
    initrd=$work/$name.cpio.gz
    build_initramfs "$scenario" "$initrd"
    if [ "$debian" = 12 ]; then echo "== $name"; else echo "== $name (Debian $debian)"; fi
    serial=$work/$name.serial
    append=$(sed -n 's/^# append: //p' "$scenario")   # kernel command-line words the scenario needs
    limit=$(sed -n 's/^# timeout: //p' "$scenario")
    smp=$(sed -n 's/^# smp: //p' "$scenario")   # virtual CPUs (default 1)
    start=$(date +%s)
    timeout "${MODKIT_VM_TIMEOUT:-${limit:-300}}" qemu-system-x86_64 -accel tcg -cpu max -m 512M -smp "${smp:-1}" \
        -nographic -no-reboot -kernel "$vmlinuz" -initrd "$initrd" \
        -append "console=ttyS0 panic=-1 quiet loglevel=4 rdinit=/init $append ${MODKIT_VM_APPEND:-}" \
        </dev/null > "$serial" 2>&1 || true
    clean=$work/$name.out
    # The firmware's terminal escapes may share a line with the first marker.
    tr -d '\r' < "$serial" | sed 's/.*@@MODKIT-VM-BEGIN@@$/@@MODKIT-VM-BEGIN@@/' \
        | sed -n '/^@@MODKIT-VM-BEGIN@@$/,/^@@MODKIT-VM-END@@$/p' > "$clean"
    sed '1d;$d' "$clean"
    log "$name (Debian $debian): $(( $(date +%s) - start )) s"
    if ! grep -q '^@@MODKIT-VM-END@@$' "$clean"; then
        log "$name: the VM did not finish; serial log (kept): $serial"
        cp "$serial" "${TMPDIR:-/tmp}/modkit-vm-$debian-$name.serial" 2>/dev/null && serial=${TMPDIR:-/tmp}/modkit-vm-$debian-$name.serial
        tail -20 "$serial" >&2
        status=1
    elif grep -q '^FAIL' "$clean"; then
        status=1
    fi
done
exit $status
