#!/usr/bin/env bash
# The whole-system test: one Debian system (tests/system/make-root.sh: mmdebstrap from the machine's apt
# mirror, systemd as init, udev, initramfs-tools, linux-image-amd64) booted under QEMU (software
# emulation) from the kernel and the initramfs in its own /boot, twice: with Debian's kmod and libkmod2,
# and with ModKit's packages installed in their place by apt-get inside the root (the initramfs then
# rebuilt there by ModKit's tools). tests/system/check.sh runs in each booted system and records the
# boot, the loaded modules, the libkmod that PID 1, udevd and systemd-modules-load mapped, the kernel's
# request_module, depmod as a kernel postinst and as DKMS call it, update-initramfs, and examples/hello;
# the ModKit disk is then booted a second time from the initramfs its running system made. The records
# are compared here and summed up in a table (each check, kmod vs ModKit).
#
#   tests/system/run.sh [--debian 13|12]      default 13 (kmod 34.2 profile; 12: kmod 30)
#   tests/system/run.sh --debian N --report WORK   the table again from a kept run's records (no boot)
#
# Environment: MODKIT_DEBS (folder with ModKit's .debs; default: scripts/package.sh <profile> makes
# them into artifacts/deb), MODKIT_SYSTEM_TIMEOUT (seconds per boot, default 2400),
# MODKIT_SYSTEM_KEEP=1 (keep the work folder with the disks and the records; kept anyway on failure).
# Takes about half an hour per release on a 2-core machine; not part of the xunit suite (README).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
CACHE=${MODKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modkit}
log() { echo "system: $*" >&2; }
. "$repo/scripts/debian.sh"
started=$(date +%s)

debian=13 report=
while [ $# -gt 0 ]; do
    case $1 in
        --debian) debian=${2:-}; shift 2 || shift ;;
        --debian=*) debian=${1#--debian=}; shift ;;
        --report) report=${2:-}; shift 2 || shift ;;
        *) log "unknown argument $1"; exit 2 ;;
    esac
done
case $debian in 13) profile=34 ;; 12) profile=30 ;; *) log "--debian takes 13 or 12"; exit 2 ;; esac

need qemu-system-x86 e2fsprogs util-linux

root=$("$here/make-root.sh" "$debian")
release=$(ls "$root/lib/modules" | head -1)
log "Debian $debian, kernel $release, kmod profile $profile"

# ModKit's packages for this profile (made when the ModKit system is prepared).
deb_files=()
find_debs() {
    local debs=${MODKIT_DEBS:-}
    if [ -z "$debs" ]; then
        log "building ModKit's packages (scripts/package.sh $profile)"
        "$repo/scripts/package.sh" "$profile" >&2
        debs=$repo/artifacts/deb
    fi
    mapfile -t deb_files < <("$here/pick-debs.sh" "$debs" "$profile")
    [ ${#deb_files[@]} -gt 0 ] || { log "no ModKit packages for profile $profile in $debs"; return 1; }
    log "packages: ${deb_files[*]##*/}"
}

sha_of() { sha256sum <"$1" | cut -c1-64; }
if [ -n "$report" ]; then
    # Only the table, from the records a kept run left in its work folder (after a check was corrected).
    work=$(cd "$report" && pwd)
    log "records of $work"
else
work=$(mktemp -d "$CACHE/system/work.XXXXXX")
# Removed when the run passes (kept when it fails, or with MODKIT_SYSTEM_KEEP=1).
keep_or_remove() { if [ $? = 0 ] && [ -z "${MODKIT_SYSTEM_KEEP:-}" ]; then rm -rf "$work"; else log "kept $work"; fi; }
trap keep_or_remove EXIT
log "work folder $work"

# examples/hello against the root's kernel: Debian 13's headers need trixie's gcc-14 and glibc (the
# trixie root of scripts/trixie-root.sh), Debian 12's are installed on this (Debian 12) machine.
hello_ko() {
    local hash dir build inside headers_root
    hash=$(cat "$repo"/examples/hello/{hello.c,Kbuild,Makefile} | sha256sum | cut -c1-16)
    dir=$CACHE/system/hello-$release-$hash
    if [ ! -f "$dir/hello.ko" ]; then
        log "building examples/hello for $release"
        if [ "$debian" = 12 ]; then
            need "linux-headers-$release" gcc make
            build=$(mktemp -d "$CACHE/system/hello-build.XXXXXX")
            cp "$repo"/examples/hello/{hello.c,Kbuild,Makefile} "$build/"
            make -s -C "$build" KDIR="/usr/src/linux-headers-$release" >"$build/build.log" 2>&1 || { cat "$build/build.log" >&2; return 1; }
        else
            headers_root=$("$repo/scripts/trixie-root.sh" "$release")
            inside=$(mktemp -d "$headers_root/tmp/hello-build.XXXXXX")
            cp "$repo"/examples/hello/{hello.c,Kbuild,Makefile} "$inside/"
            chroot "$headers_root" make -s -C "/tmp/$(basename "$inside")" KDIR="/usr/src/linux-headers-$release" \
                >"$inside/build.log" 2>&1 || { cat "$inside/build.log" >&2; return 1; }
            build=$(mktemp -d "$CACHE/system/hello-build.XXXXXX")
            cp -a "$inside/." "$build/"
            rm -rf "$inside"
        fi
        mv -T "$build" "$dir" 2>/dev/null || rm -rf "$build"
    fi
    echo "$dir/hello.ko"
}
hello=$(hello_ko)

# Runs a command chrooted in a root, with /proc, /sys and /dev mounted in a mount namespace of its own
# (nothing stays mounted on the host).
in_root() { # <root> <command...>
    local dir=$1; shift
    unshare --mount --propagation private -- sh -c '
        dir=$1; shift
        mount -t proc proc "$dir/proc" && mount -t sysfs sysfs "$dir/sys" && mount --rbind /dev "$dir/dev" &&
        exec chroot "$dir" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"' \
        sh "$dir" "$@"
}

# Where a link inside the root leads (readlink in the root: its merged /usr, its alternatives).
real_in_root() { chroot "$1" readlink -f "$2"; }
libkmod_path() { real_in_root "$1" /lib/x86_64-linux-gnu/libkmod.so.2; }

# A copy of the root with the check installed: the service, an /etc/modules-load.d entry (dummy), a
# modprobe@ unit (loop), examples/hello, an xfs image and Debian's kmod and libkmod kept aside (the
# check resolves the indexes with them in both boots).
prepare() { # <variant> <dir>
    local variant=$1 dir=$2 share
    log "[$variant] copying the root"
    cp -a "$root" "$dir"
    share=$dir/usr/local/share/modkit-check
    mkdir -p "$share/debian-kmod" "$dir/usr/local/sbin" "$dir/etc/modules-load.d" \
        "$dir/etc/systemd/system/multi-user.target.wants"
    install -m 0755 "$here/check.sh" "$dir/usr/local/sbin/modkit-check"
    cat >"$dir/etc/systemd/system/modkit-check.service" <<'UNIT'
[Unit]
Description=ModKit whole-system check (tests/system/check.sh)
# Early, so that a boot stuck before basic.target is still recorded (the check waits for the boot itself).
DefaultDependencies=no
After=local-fs.target

[Service]
Type=simple
ExecStart=/usr/local/sbin/modkit-check
StandardOutput=journal+console

[Install]
WantedBy=multi-user.target
UNIT
    ln -sfn ../modkit-check.service "$dir/etc/systemd/system/multi-user.target.wants/modkit-check.service"
    ln -sfn /lib/systemd/system/modprobe@.service "$dir/etc/systemd/system/multi-user.target.wants/modprobe@loop.service"
    echo dummy >"$dir/etc/modules-load.d/modkit-check.conf"
    # zstd -1 instead of -9: update-initramfs in the guest is the slowest step under emulation.
    echo COMPRESSLEVEL=1 >"$dir/etc/initramfs-tools/conf.d/modkit-check"
    cp "$hello" "$share/hello.ko"
    cp -L "$dir$(real_in_root "$dir" /usr/bin/kmod)" "$share/debian-kmod/kmod"
    cp -L "$dir$(libkmod_path "$dir")" "$share/debian-kmod/libkmod.so.2"
    ln -s kmod "$share/debian-kmod/modprobe"
    truncate -s 320M "$share/xfs.img"
    in_root "$dir" mkfs.xfs -q /usr/local/share/modkit-check/xfs.img >&2
    if [ "$variant" = modkit ]; then
        find_debs
        log "[$variant] apt-get install ${deb_files[*]##*/} (in the root)"
        mkdir -p "$dir/tmp/debs"
        cp "${deb_files[@]}" "$dir/tmp/debs/"
        local args=()
        for f in "${deb_files[@]}"; do args+=("/tmp/debs/$(basename "$f")"); done
        in_root "$dir" apt-get install -y "${args[@]}" >"$work/$variant.apt.log" 2>&1 ||
            { cat "$work/$variant.apt.log" >&2; return 1; }
        rm -rf "$dir/tmp/debs"
        log "[$variant] update-initramfs -u with ModKit's tools (in the root)"
        in_root "$dir" update-initramfs -u -k "$release" >"$work/$variant.initramfs.log" 2>&1 ||
            { cat "$work/$variant.initramfs.log" >&2; return 1; }
    fi
    in_root "$dir" lsinitramfs "/boot/initrd.img-$release" | sort >"$work/$variant.root-initramfs.list"
    echo "$(sha_of "$dir$(libkmod_path "$dir")") $(libkmod_path "$dir")" >"$work/$variant.libkmod"
    echo "$(sha_of "$dir$(real_in_root "$dir" /sbin/modprobe)") $(real_in_root "$dir" /sbin/modprobe)" >"$work/$variant.modprobe"
}

image() { # <dir> <image>: an ext4 image of the folder, made without mounting
    local dir=$1 img=$2 mb
    mb=$(( $(du -sm "$dir" | cut -f1) + 1024 ))
    mkfs.ext4 -q -F -L root -d "$dir" "$img" "${mb}M"
}

timeout_s=${MODKIT_SYSTEM_TIMEOUT:-2400}
boot() { # <name> <image> <kernel> <initrd> <mode>: records in $work/<name>/
    local name=$1 img=$2 kernel=$3 initrd=$4 mode=$5 results=$work/$1 start rc
    mkdir -p "$results"
    truncate -s 0 "$work/$name.result.img"; truncate -s 512M "$work/$name.result.img"
    log "[$name] booting (QEMU TCG, check=$mode; serial log $work/$name.serial)"
    start=$(date +%s)
    set +e
    timeout "$timeout_s" qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 2048 -machine q35 \
        -display none -monitor none -no-reboot -serial "file:$work/$name.serial" \
        -kernel "$kernel" -initrd "$initrd" \
        -append "root=/dev/vda rw console=ttyS0 panic=-1 modkit.check=$mode" \
        -drive "file=$img,format=raw,if=virtio" -drive "file=$work/$name.result.img,format=raw,if=virtio" \
        -nic user,model=virtio-net-pci,restrict=on -device virtio-rng-pci &
    local qemu=$! seen=0
    while kill -0 "$qemu" 2>/dev/null; do
        sleep 5
        if [ -f "$work/$name.serial" ]; then
            grep -ao 'modkit-check: .*' "$work/$name.serial" | tail -n +$((seen + 1)) | while read -r line; do
                log "[$name] $(( $(date +%s) - start ))s ${line#modkit-check: }"
            done
            seen=$(grep -ao 'modkit-check: .*' "$work/$name.serial" | wc -l)
        fi
    done
    wait "$qemu"; rc=$?
    set -e
    echo $(( $(date +%s) - start )) >"$work/$name.seconds"
    log "[$name] QEMU ended (status $rc) after $(cat "$work/$name.seconds") s"
    tar -xf "$work/$name.result.img" -C "$results" 2>/dev/null || log "[$name] no records on the result disk"
}

# --- the two systems ---------------------------------------------------------------------------
for variant in ${MODKIT_SYSTEM_VARIANTS:-kmod modkit}; do
    prepare "$variant" "$work/$variant.root"
    log "[$variant] making the disk image"
    image "$work/$variant.root" "$work/$variant.img"
    cp "$work/$variant.root/boot/vmlinuz-$release" "$work/$variant.vmlinuz"
    cp "$work/$variant.root/boot/initrd.img-$release" "$work/$variant.initrd"
    rm -rf "$work/$variant.root.keep"
    boot "$variant" "$work/$variant.img" "$work/$variant.vmlinuz" "$work/$variant.initrd" full
done
if [ -f "$work/modkit/initrd.img" ]; then
    boot modkit-initrd "$work/modkit.img" "$work/modkit.vmlinuz" "$work/modkit/initrd.img" boot
else
    log "[modkit-initrd] no initramfs from the ModKit system: second boot skipped"
fi

# --- comparison ---------------------------------------------------------------------------------
fi

K=$work/kmod M=$work/modkit I=$work/modkit-initrd
rows=() failures=0
row() { # <check> <kmod PASS|FAIL|-> <modkit PASS|FAIL> <detail>
    rows+=("$1|$2|$3|$4")
    [ "$2" != FAIL ] && [ "$3" != FAIL ] || failures=$((failures + 1))
}
pf() { if "$@"; then echo PASS; else echo FAIL; fi; }
same() { [ -e "$1" ] && [ -e "$2" ] && cmp -s "$1" "$2"; }
# Two tar files with the same members in the same order and the same contents (their times may differ).
same_tar() { [ -e "$1" ] && [ -e "$2" ] && [ "$(tar -tf "$1")" = "$(tar -tf "$2")" ] && cmp -s <(tar -xOf "$1") <(tar -xOf "$2"); }
# What two file lists do not share, as "only kmod: a b; only ModKit: c" (file names, the first five of each).
list_diff() {
    local only_k only_m
    only_k=$(comm -23 <(sort "$1") <(sort "$2") | sed 's#.*/##' | head -5 | tr '\n' ' ')
    only_m=$(comm -13 <(sort "$1") <(sort "$2") | sed 's#.*/##' | head -5 | tr '\n' ' ')
    [ -z "$only_k$only_m" ] && echo "the same files" || echo "only kmod: ${only_k:-none}; only ModKit: ${only_m:-none}"
}
nonempty() { [ -s "$1" ]; }
has() { grep -qx -- "$2" "$1" 2>/dev/null; }
count() { [ -f "$1" ] && wc -l <"$1" | tr -d ' ' || echo 0; }
value() { sed -n "s/^$2=//p" "$1" 2>/dev/null | head -1; }
reached() { # <records>: default target active, the system running (no failed unit)
    has "$1/default-target-state" active && has "$1/system-state" running
}
no_failed() { [ -f "$1/failed" ] && ! [ -s "$1/failed" ]; }
unit_ok() { has "$1" Result=success && has "$1" ExecMainStatus=0; }
modkit_ok() { [ "$1" = PASS ] && [ "$2" = PASS ] && echo PASS || echo FAIL; }

row "boot reaches $(cat "$K/default-target" 2>/dev/null || echo '?')" "$(pf reached "$K")" "$(pf reached "$M")" \
    "state: $(cat "$K/system-state" 2>/dev/null) / $(cat "$M/system-state" 2>/dev/null)"
row "systemctl --failed empty" "$(pf no_failed "$K")" "$(pf no_failed "$M")" \
    "$(count "$K/failed") / $(count "$M/failed") failed"
row "kmod-static-nodes ran, static-nodes.conf" \
    "$(pf unit_ok "$K/static-nodes.unit")" \
    "$(modkit_ok "$(pf unit_ok "$M/static-nodes.unit")" "$(pf same "$K/static-nodes.conf" "$M/static-nodes.conf")")" \
    "$(count "$K/static-nodes.conf") lines, $(same "$K/static-nodes.conf" "$M/static-nodes.conf" && echo same || echo DIFFERENT)"
row "loaded modules after boot" "$(pf nonempty "$K/modules-boot")" "$(pf same "$K/modules-boot" "$M/modules-boot")" \
    "$(count "$K/modules-boot") / $(count "$M/modules-boot") modules"
ml_ok() { unit_ok "$1/modules-load.unit" && has "$1/modules-boot" dummy; }
row "systemd-modules-load (modules-load.d: dummy)" "$(pf ml_ok "$K")" "$(pf ml_ok "$M")" "dummy loaded, unit success"
loop_ok() { unit_ok "$1/modprobe-loop.unit" && has "$1/modules-boot" loop; }
row "modprobe@loop.service" "$(pf loop_ok "$K")" "$(pf loop_ok "$M")" "loop loaded, unit success"

# The mapped libkmod: the file at the mapped path is the one mapped (same inode) and is Debian's in the
# kmod boot, ModKit's in the ModKit boot.
maps_ok() { # <records> <who> <sha>
    local lines
    lines=$(grep "^$2 " "$1/maps" 2>/dev/null) || return 1
    ! echo "$lines" | grep -qv "sha256=$3" && ! echo "$lines" | grep -q '(deleted)' &&
        echo "$lines" | awk '{split($3, a, "="); split($4, b, "="); if (a[2] != b[2]) exit 1}'
}
kmod_lib_sha=$(cut -d' ' -f1 "$work/kmod.libkmod") modkit_lib_sha=$(cut -d' ' -f1 "$work/modkit.libkmod")
deb_lib_ok=FAIL
for f in "${deb_files[@]}"; do
    mkdir -p "$work/deb-x" && dpkg-deb -x "$f" "$work/deb-x"
done
for f in "$work"/deb-x/usr/lib/x86_64-linux-gnu/libkmod.so.2*; do
    [ -f "$f" ] && [ ! -L "$f" ] && [ "$(sha_of "$f")" = "$modkit_lib_sha" ] && deb_lib_ok=PASS
done
[ "$kmod_lib_sha" != "$modkit_lib_sha" ] || deb_lib_ok=FAIL
row "installed libkmod.so.2 is the package's" - "$deb_lib_ok" "$(cut -d' ' -f2 "$work/modkit.libkmod")"
row "PID 1 mapped libkmod.so.2" "$(pf maps_ok "$K" pid1 "$kmod_lib_sha")" "$(pf maps_ok "$M" pid1 "$modkit_lib_sha")" \
    "Debian's / ModKit's"
row "systemd-udevd mapped libkmod.so.2" "$(pf maps_ok "$K" udevd "$kmod_lib_sha")" "$(pf maps_ok "$M" udevd "$modkit_lib_sha")" \
    "$(grep -c '^udevd ' "$M/maps" 2>/dev/null) udevd process(es)"
ml_bound() { has "$1/modules-load.rerun" exit=0 && [ -s "$1/modules-load.bindings" ]; }
# Debian's libkmod also binds its own exported functions through its PLT (kmod_module_get_path, ...), which
# LD_DEBUG lists too; ModKit's does not: every function bound with ModKit's must be among those bound with
# Debian's, not the same list.
among() { [ -s "$2" ] && [ -z "$(comm -13 "$1" "$2")" ]; }
row "systemd-modules-load bound kmod_* to libkmod.so.2" "$(pf ml_bound "$K")" \
    "$(modkit_ok "$(pf ml_bound "$M")" "$(pf among "$K/modules-load.bindings" "$M/modules-load.bindings")")" \
    "$(count "$K/modules-load.bindings") / $(count "$M/modules-load.bindings") functions (ModKit's among Debian's, rerun exit 0)"
kp_ok() { grep -q "sha256=$2" "$1/kernel-modprobe" 2>/dev/null; }
row "kernel's modprobe (/proc/sys/kernel/modprobe)" "$(pf kp_ok "$K" "$(cut -d' ' -f1 "$work/kmod.modprobe")")" \
    "$(pf kp_ok "$M" "$(cut -d' ' -f1 "$work/modkit.modprobe")")" "$(cut -d' ' -f1-3 "$M/kernel-modprobe" 2>/dev/null)"
xfs_ok() { has "$1/rq-xfs.mount" mount=0 && has "$1/rq-xfs.mount" "written on xfs" && has "$1/rq-xfs.after" xfs && ! has "$1/rq-xfs.before" xfs; }
row "request_module: mount xfs on loop" "$(pf xfs_ok "$K")" \
    "$(modkit_ok "$(pf xfs_ok "$M")" "$(pf same "$K/rq-xfs.after" "$M/rq-xfs.after")")" \
    "modprobe runs $(value "$K/rq-xfs.mount" execs) / $(value "$M/rq-xfs.mount" execs); +$(comm -13 "$K/rq-xfs.before" "$K/rq-xfs.after" 2>/dev/null | tr '\n' ' ')"
char_ok() { has "$1/rq-char.after" ppp_generic; }
row "request_module: char-major-108-0 (/dev/ppp)" "$(pf char_ok "$K")" \
    "$(modkit_ok "$(pf char_ok "$M")" "$(pf same "$K/rq-char.after" "$M/rq-char.after")")" \
    "modprobe runs $(value "$K/rq-char.err" execs) / $(value "$M/rq-char.err" execs)"
# 50 requests issued; the kernel runs modprobe only for the types not yet registered (48 on Debian 12).
many_ok() { [ "$(count "$1/rq-50.types")" = 50 ] && [ "$(value "$1/rq-50.trace" execs)" -ge 1 ] 2>/dev/null; }
row "request_module: 50 fs- aliases at once" "$(pf many_ok "$K")" \
    "$(modkit_ok "$(pf many_ok "$M")" "$(pf same "$K/rq-50.after" "$M/rq-50.after")")" \
    "modprobe runs $(value "$K/rq-50.trace" execs) / $(value "$M/rq-50.trace" execs); $(count "$K/rq-50.after") / $(count "$M/rq-50.after") modules after"
for kind in postinst dkms; do
    what="depmod V (kernel postinst)"; [ $kind = postinst ] || what="depmod -a V -F System.map (DKMS)"
    dep_ok() { has "$1/depmod-$kind.log" exit=0 && [ -s "$1/depmod-$kind.debian-kmod.names" ]; }
    res_same() {
        local part
        for part in names aliases; do
            same "$K/depmod-$kind.debian-kmod.$part" "$M/depmod-$kind.debian-kmod.$part" || return 1
            same "$M/depmod-$kind.debian-kmod.$part" "$M/depmod-$kind.installed.$part" || return 1
        done
    }
    idx=DIFFERENT; same_tar "$K/depmod-$kind.tar" "$M/depmod-$kind.tar" && idx="byte-identical"
    row "$what: indexes read by Debian's kmod" "$(pf dep_ok "$K")" "$(modkit_ok "$(pf dep_ok "$M")" "$(pf res_same)")" \
        "$(count "$M/names") names, $(count "$M/modaliases") device aliases resolved the same; indexes $idx"
done
row "initramfs made in the root (chroot) module list" "$(pf nonempty "$work/kmod.root-initramfs.list")" \
    "$(pf same <(grep -E '\.ko(\.[a-z]+)?$' "$work/kmod.root-initramfs.list") <(grep -E '\.ko(\.[a-z]+)?$' "$work/modkit.root-initramfs.list"))" \
    "$(grep -cE '\.ko(\.[a-z]+)?$' "$work/kmod.root-initramfs.list") / $(grep -cE '\.ko(\.[a-z]+)?$' "$work/modkit.root-initramfs.list") modules"
ui_ok() { has "$1/update-initramfs.log" exit=0 && [ -s "$1/initramfs.list" ]; }
row "update-initramfs -u in the running system" "$(pf ui_ok "$K")" \
    "$(modkit_ok "$(pf ui_ok "$M")" "$(pf same <(grep -E '\.ko(\.[a-z]+)?$' "$K/initramfs.list") <(grep -E '\.ko(\.[a-z]+)?$' "$M/initramfs.list"))")" \
    "$(grep -cE '\.ko(\.[a-z]+)?$' "$K/initramfs.list") / $(grep -cE '\.ko(\.[a-z]+)?$' "$M/initramfs.list") modules; $(list_diff "$K/initramfs.list" "$M/initramfs.list")"
second_ok() { reached "$I" && no_failed "$I" && same "$K/modules-boot" "$I/modules-boot" && maps_ok "$I" pid1 "$modkit_lib_sha"; }
threads() { [ -f "$1/pid1-threads" ] && wc -l <"$1/pid1-threads" || echo '?'; }
row "PID 1's threads after boot (informative)" - - "$(threads "$K") / $(threads "$M")"
row "boot from the initramfs made inside (ModKit)" - "$(pf second_ok)" \
    "state $(cat "$I/system-state" 2>/dev/null); $(count "$I/modules-boot") modules"
hello_ok() { grep -qx 'modkit-system' "$1/hello" && has "$1/hello" modprobe=0 && has "$1/hello" modprobe-r=0 &&
    grep -q '^updates/hello.ko:' "$1/hello"; }
row "examples/hello in updates/, modprobe.d options, -r" "$(pf hello_ok "$K")" \
    "$(modkit_ok "$(pf hello_ok "$M")" "$(pf same "$K/hello" "$M/hello")")" "who=$(sed -n 6p "$M/hello" 2>/dev/null)"

# The userspace part of systemd-analyze's line: "9.637s", "812ms" or "1min 55.086s".
userspace() { sed -n 's/.* + \([0-9][0-9a-z. ]*s\) (userspace).*/\1/p' "$1/analyze" 2>/dev/null | head -1; }

echo
echo "Whole-system test, Debian $debian (kernel $release, kmod profile $profile), $(date -u '+%Y-%m-%d %H:%M UTC')"
printf '%-58s %-6s %-6s  %s\n' check kmod ModKit detail
printf '%-58s %-6s %-6s  %s\n' "$(printf '%.0s-' {1..58})" ------ ------ ------
for r in "${rows[@]}"; do
    IFS='|' read -r c k m d <<<"$r"
    printf '%-58s %-6s %-6s  %s\n' "$c" "$k" "$m" "$d"
done
echo
printf 'boot time (systemd-analyze)   kmod: %s\n' "$(head -1 "$K/analyze" 2>/dev/null)"
printf '                            ModKit: %s\n' "$(head -1 "$M/analyze" 2>/dev/null)"
printf 'userspace                     kmod %s, ModKit %s (ModKit from its own initramfs: %s)\n' \
    "$(userspace "$K")" "$(userspace "$M")" "$(userspace "$I")"
printf 'QEMU run (boot + check)       kmod %ss, ModKit %ss, second ModKit boot %ss\n' \
    "$(cat "$work/kmod.seconds" 2>/dev/null)" "$(cat "$work/modkit.seconds" 2>/dev/null)" "$(cat "$work/modkit-initrd.seconds" 2>/dev/null)"
for r in "$K" "$M" "$I"; do
    [ -f "$r/stuck-jobs" ] || continue
    echo
    echo "$(basename "$r"): the boot did not finish; its jobs, and PID 1's threads (name, SigBlk, SigCgt):"
    sed 's/^/  /' "$r/stuck-jobs"
    sed 's/^/  /' "$r/pid1-threads"
done
if [ -n "$report" ]; then
    echo "${#rows[@]} checks, $failures failed (from the records in $work)"
else
    echo "${#rows[@]} checks, $failures failed, $(( ($(date +%s) - started) / 60 )) minutes"
fi
[ "$failures" = 0 ]
