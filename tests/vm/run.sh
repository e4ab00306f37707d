#!/usr/bin/env bash
# Boots Debian 12's current kernel (linux-image-amd64) under QEMU with software emulation and runs
# scenario scripts inside it, with modkit, kmod 30 (the oracle) and busybox side by side.
#
#   tests/vm/run.sh [scenario ...]      default: every tests/vm/scenarios/*.sh
#
# A scenario may start with "# modules: ext4 jbd2" (Debian modules copied into /modules),
# "# tree: ext4 jbd2" (Debian modules copied to their place under /lib/modules/<release>, with
# examples/hello as extra/hello.ko, and indexed there by kmod's depmod on this machine) and
# "# append: module.sig_enforce=1" (kernel command-line words) and "# timeout: 600" (seconds for
# the boot, default 300; MODKIT_VM_TIMEOUT overrides both). Each scenario boots once; its serial
# output (between the init's markers) is printed on stdout under a "== <scenario>" header. The exit
# status is 0 when every boot reached its end marker and no scenario line starts with "FAIL".
# Prepares, once and outside git: the kernel package (scripts/fetch-kernel.sh), the matching
# linux-headers (apt-get), examples/hello built against them, and the NativeAOT binary (build.sh).
# Environment: MODKIT_BIN (a built binary), MODKIT_VM_KEEP=1 (keep the boot files),
# MODKIT_VM_APPEND (more kernel command-line words), MODKIT_VM_TIMEOUT (seconds per boot).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
log() { echo "vm: $*" >&2; }

need() {
    local missing=()
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' 2>/dev/null | head -1)" ] || apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
    fi
}
need qemu-system-x86 busybox-static cpio kmod gcc make xz-utils zstd perl

kernel_dir=$("$repo/scripts/fetch-kernel.sh")
release=$(basename "$kernel_dir")
vmlinuz=$kernel_dir/vmlinuz-$release
modules=$kernel_dir/plain/lib/modules/$release
[ -f "$vmlinuz" ] || { log "no $vmlinuz"; exit 1; }
need "linux-headers-$release"

# Boot files go to a folder of this run (several worktrees may run the harness at once); the
# built hello module is shared, keyed by its sources' hash and published atomically.
work=$(mktemp -d "${TMPDIR:-/tmp}/modkit-vm.XXXXXX")
[ -n "${MODKIT_VM_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
sources_hash=$(cat "$repo"/examples/hello/{hello.c,Kbuild,Makefile} | sha256sum | cut -c1-16)
hello=$kernel_dir/hello-$sources_hash
if [ ! -f "$hello/hello.ko" ]; then
    log "building examples/hello for $release"
    build=$(mktemp -d "$kernel_dir/hello-build.XXXXXX")
    cp "$repo/examples/hello/hello.c" "$repo/examples/hello/Kbuild" "$repo/examples/hello/Makefile" "$build/"
    make -s -C "$build" KDIR="/usr/src/linux-headers-$release" >"$build/build.log" 2>&1 || { cat "$build/build.log" >&2; exit 1; }
    mv -T "$build" "$hello" 2>/dev/null || rm -rf "$build"
fi

modkit=${MODKIT_BIN:-}
if [ -z "$modkit" ]; then
    modkit=$repo/$("$repo/build.sh")
fi

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

build_initramfs() { # <scenario> <output>
    local scenario=$1 out=$2 root
    root=$(mktemp -d "$work/root.XXXXXX")
    mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,modules,modkit/bin,kmod/bin,usr/bin,lib/modules/$release}
    cp /bin/busybox "$root/bin/busybox"
    for tool in sh mount poweroff cat echo ls grep sed diff mkdir rm cp sleep dmesg test tr wc head tail uname xz zstd; do
        ln -s busybox "$root/bin/$tool"
    done
    install -m 0755 "$modkit" "$root/usr/bin/modkit"
    copy_with_libs "$root" "$modkit"
    cp /usr/bin/kmod "$root/usr/bin/kmod"
    copy_with_libs "$root" /usr/bin/kmod
    for tool in insmod rmmod lsmod modinfo modprobe depmod; do
        ln -s /usr/bin/modkit "$root/modkit/bin/$tool"
        ln -s /usr/bin/kmod "$root/kmod/bin/$tool"
    done
    cp "$hello/hello.ko" "$root/modules/hello.ko"
    xz --check=crc32 --lzma2=dict=1MiB -c "$hello/hello.ko" > "$root/modules/hello.ko.xz"
    zstd -q -c "$hello/hello.ko" > "$root/modules/hello.ko.zst"
    # The same module with a version magic this kernel refuses ("mod_unload" changed, same length).
    perl -0777 -pe 's/mod_unload /mod_unloaX /' "$hello/hello.ko" > "$root/modules/hello-badmagic.ko"
    xz --check=crc32 --lzma2=dict=1MiB -c "$root/modules/hello-badmagic.ko" > "$root/modules/hello-badmagic.ko.xz"
    # Debian's own (signed) modules a scenario asks for with a "# modules: a b c" line.
    for m in $(sed -n 's/^# modules: //p' "$scenario"); do
        f=$(find "$modules/kernel" -name "$m.ko" | head -1)
        [ -n "$f" ] || { log "$scenario: no module $m in $release"; exit 1; }
        cp "$f" "$root/modules/"
    done
    # A small module directory for modprobe: the "# tree:" modules where the package has them.
    local tree
    tree=$(sed -n 's/^# tree: //p' "$scenario")
    if [ -n "$tree" ]; then
        local dest=$root/lib/modules/$release
        for m in $tree; do
            f=$(cd "$modules" && find kernel -name "$m.ko" | head -1)
            [ -n "$f" ] || { log "$scenario: no module $m in $release"; exit 1; }
            mkdir -p "$dest/$(dirname "$f")"
            cp "$modules/$f" "$dest/$f"
        done
        mkdir -p "$dest/extra"
        cp "$hello/hello.ko" "$dest/extra/hello.ko"
        cp "$modules"/modules.{builtin,builtin.modinfo,order} "$dest/"
        /sbin/depmod -b "$root" "$release"
    fi
    install -m 0755 "$here/init.sh" "$root/init"
    install -m 0644 "$scenario" "$root/scenario.sh"
    (cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 > "$out"
    rm -rf "$root"
}

scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=("$here"/scenarios/*.sh)
status=0
for scenario in "${scenarios[@]}"; do
    [ -f "$scenario" ] || scenario=$here/scenarios/$scenario.sh
    name=$(basename "$scenario" .sh)
    initrd=$work/$name.cpio.gz
    build_initramfs "$scenario" "$initrd"
    echo "== $name"
    serial=$work/$name.serial
    append=$(sed -n 's/^# append: //p' "$scenario")   # kernel command-line words the scenario needs
    limit=$(sed -n 's/^# timeout: //p' "$scenario")
    start=$(date +%s)
    timeout "${MODKIT_VM_TIMEOUT:-${limit:-300}}" qemu-system-x86_64 -accel tcg -cpu max -m 512M -smp 1 \
        -nographic -no-reboot -kernel "$vmlinuz" -initrd "$initrd" \
        -append "console=ttyS0 panic=-1 quiet loglevel=4 rdinit=/init $append ${MODKIT_VM_APPEND:-}" \
        </dev/null > "$serial" 2>&1 || true
    clean=$work/$name.out
    # The firmware's terminal escapes may share a line with the first marker.
    tr -d '\r' < "$serial" | sed 's/.*@@MODKIT-VM-BEGIN@@$/@@MODKIT-VM-BEGIN@@/' \
        | sed -n '/^@@MODKIT-VM-BEGIN@@$/,/^@@MODKIT-VM-END@@$/p' > "$clean"
    sed '1d;$d' "$clean"
    log "$name: $(( $(date +%s) - start )) s"
    if ! grep -q '^@@MODKIT-VM-END@@$' "$clean"; then
        log "$name: the VM did not finish; serial log (kept): $serial"
        cp "$serial" "${TMPDIR:-/tmp}/modkit-vm-$name.serial" 2>/dev/null && serial=${TMPDIR:-/tmp}/modkit-vm-$name.serial
        tail -20 "$serial" >&2
        status=1
    elif grep -q '^FAIL' "$clean"; then
        status=1
    fi
done
exit $status
