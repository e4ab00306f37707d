#!/bin/sh
# The whole-system test's check, run inside the booted Debian system by modkit-check.service once the
# boot has finished. It records what tests/system/run.sh compares between the kmod and the ModKit boots
# into /run/modkit-check, writes that folder as a tar archive onto the second disk (/dev/vdb) and powers
# off. Progress lines go to the serial console. The kernel command line says how much to do:
#   modkit.check=full   everything (the first boot of each system)
#   modkit.check=boot   the boot, the failed units, the loaded modules and the mapped libkmod (a later boot)
# Nothing here decides PASS or FAIL: the host compares the records of both boots.
set -u
export PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C
out=/run/modkit-check
share=/usr/local/share/modkit-check
mkdir -p "$out"
mode=full
for word in $(cat /proc/cmdline); do
    case $word in modkit.check=*) mode=${word#modkit.check=} ;; esac
done
release=$(uname -r)
moddir=/lib/modules/$release
say() { echo "modkit-check: $*" >/dev/ttyS0; }
modules() { cut -d' ' -f1 /proc/modules | sort; }

finish() {
    say "writing the results"
    tar -C "$out" -cf /dev/vdb . && sync
    say "done"
    systemctl poweroff --no-block
    exit 0
}

say "started ($mode), waiting for the boot to finish"
# PID 1's threads and their blocked and caught signals (a library's thread that does not block SIGCHLD
# takes the signal from PID 1's signalfd).
pid1_threads() {
    for task in /proc/1/task/*; do
        echo "$(cat "$task/comm") $(grep -E '^Sig(Blk|Cgt)' "$task/status" | tr '\t\n' '  ')"
    done
}
pid1_threads >"$out/pid1-threads.early"
timeout 300 systemctl is-system-running --wait >"$out/system-state" 2>&1
if [ $? = 124 ]; then
    # The boot did not finish: what it waits for, then the records and a forced power-off.
    say "the boot did not finish in 5 minutes: recording the jobs and PID 1's threads"
    echo "not finished" >"$out/system-state"
    systemctl list-jobs --no-pager >"$out/stuck-jobs" 2>&1
    ps -eo pid,ppid,stat,wchan:24,args >"$out/stuck-ps" 2>&1
    pid1_threads >"$out/pid1-threads"
    cut -d' ' -f1 /proc/modules | sort >"$out/modules-boot"
    journalctl -b --no-pager -o short-monotonic >"$out/journal" 2>&1
    tar -C "$out" -cf /dev/vdb . && sync
    say "done"
    systemctl poweroff --force
    exit 1
fi
pid1_threads >"$out/pid1-threads"
udevadm settle --timeout=300   # coldplug's workers may still be loading drivers
echo "$mode" >"$out/mode"
echo "$release" >"$out/release"
systemctl get-default >"$out/default-target"
systemctl is-active "$(systemctl get-default)" >"$out/default-target-state" 2>&1
systemctl --failed --no-legend --plain >"$out/failed" 2>&1
systemd-analyze time >"$out/analyze" 2>&1
modules >"$out/modules-boot"

# PID 1, udevd and modules-load: which libkmod.so.2 they mapped (path, inode of the mapping and of the
# file now at that path, and the file's hash).
mapped() { # <name> <pid>
    awk '/libkmod\.so/ {print $5, $6, $7}' "/proc/$2/maps" | sort -u | while read -r inode path deleted; do
        echo "$1 $path inode=$inode file-inode=$(stat -L -c %i "$path" 2>/dev/null) sha256=$(sha256sum <"$path" | cut -c1-64) $deleted"
    done
}
{
    mapped pid1 1
    for pid in $(pidof systemd-udevd); do mapped udevd "$pid"; done
} >"$out/maps"
# systemd-modules-load ran at boot and exited: its result, what it logged, and a second run whose dynamic
# linker reports the library it binds the kmod_ functions to.
systemctl show -p Result -p ExecMainStatus -p ActiveState systemd-modules-load.service >"$out/modules-load.unit"
journalctl -b -o cat -u systemd-modules-load.service >"$out/modules-load.journal" 2>&1
modules_load=/lib/systemd/systemd-modules-load
[ -x "$modules_load" ] || modules_load=/usr/lib/systemd/systemd-modules-load
LD_DEBUG=bindings "$modules_load" 2>"$out/modules-load.ld-debug" >/dev/null
echo "exit=$?" >"$out/modules-load.rerun"
grep -o "to [^ ]*libkmod[^ ]* \[[0-9]*\]: normal symbol \`kmod_[a-z_]*'" "$out/modules-load.ld-debug" |
    sed 's/ \[[0-9]*\]//' | sort -u >"$out/modules-load.bindings"
rm -f "$out/modules-load.ld-debug"
systemctl show -p Result -p ExecMainStatus modprobe@loop.service >"$out/modprobe-loop.unit"
systemctl show -p Result -p ExecMainStatus -p ActiveState kmod-static-nodes.service >"$out/static-nodes.unit"
cp /run/tmpfiles.d/static-nodes.conf "$out/static-nodes.conf" 2>/dev/null
[ "$mode" = full ] || finish

# The kernel's request_module: which program it runs, and what it loads. tracefs records each exec of
# that program (sched_process_exec), so the number of the kernel's requests is seen as well.
say "request_module"
kmodprobe=$(cat /proc/sys/kernel/modprobe)
echo "$kmodprobe -> $(readlink -f "$kmodprobe") sha256=$(sha256sum <"$kmodprobe" | cut -c1-64)" >"$out/kernel-modprobe"
tracing=/sys/kernel/tracing
[ -d "$tracing/events" ] || mount -t tracefs tracefs "$tracing" 2>/dev/null
trace_on() {
    echo 0 >"$tracing/tracing_on"
    echo >"$tracing/trace"
    echo "filename ~ \"*modprobe*\"" >"$tracing/events/sched/sched_process_exec/filter"
    echo 1 >"$tracing/events/sched/sched_process_exec/enable"
    echo 1 >"$tracing/tracing_on"
}
trace_count() { # the execs of modprobe since trace_on
    echo 0 >"$tracing/tracing_on"
    grep -c 'sched_process_exec:' "$tracing/trace"
}
# An xfs image (made on the host) on a loop device: mount loads xfs through the kernel's request_module.
modules >"$out/rq-xfs.before"
trace_on
loop=$(losetup -f --show "$share/xfs.img")
mkdir -p /mnt/xfs
mount "$loop" /mnt/xfs >"$out/rq-xfs.mount" 2>&1
echo "mount=$?" >>"$out/rq-xfs.mount"
echo "written on xfs" >/mnt/xfs/greeting && cat /mnt/xfs/greeting >>"$out/rq-xfs.mount" 2>&1
umount /mnt/xfs; losetup -d "$loop"
echo "execs=$(trace_count)" >>"$out/rq-xfs.mount"
modules >"$out/rq-xfs.after"
# char-major-108-0 (ppp_generic) through its static node.
trace_on
cat /dev/ppp >/dev/null 2>"$out/rq-char.err"
echo "execs=$(trace_count)" >>"$out/rq-char.err"
modules >"$out/rq-char.after"
# 50 fs- aliases requested at once: mount -t <type> for the first 50 file system types of the tree's
# modules.alias, all started together.
awk '$2 ~ /^fs-/ {print substr($2, 4)}' "$moddir/modules.alias" | sort -u | head -50 >"$out/rq-50.types"
trace_on
i=0
while read -r type; do
    i=$((i + 1)); mkdir -p "/mnt/rq$i"
    mount -t "$type" none "/mnt/rq$i" >/dev/null 2>&1 &
done <"$out/rq-50.types"
wait
echo "execs=$(trace_count)" >"$out/rq-50.trace"
awk '$2 ~ /^\/mnt\/rq/ {print $2}' /proc/mounts | while read -r m; do umount "$m"; done
modules >"$out/rq-50.after"

# A kernel package's postinst (depmod V) and DKMS (depmod -a V -F System.map): the indexes, and how
# Debian's modprobe (kept aside in both boots; kmod 34.2 has libkmod built in, kmod 30 uses libkmod.so.2,
# the library udev reads them with) and the installed modprobe resolve every module and the
# devices' aliases over them.
resolve() { # <prefix>
    cut -d: -f1 "$moddir/modules.dep" | sed 's|.*/||; s|\.ko.*||' | sort -u >"$out/names"
    cat $(find /sys/devices -name modalias) 2>/dev/null | sort -u >"$out/modaliases"
    resolve_with "$1.debian-kmod" env "LD_LIBRARY_PATH=$share/debian-kmod" "$share/debian-kmod/modprobe"
    resolve_with "$1.installed" modprobe
}
resolve_with() { # <prefix> <kmod command...>
    prefix=$1; shift
    xargs -n 400 "$@" --show-depends --ignore-install -a <"$out/names" >"$out/$prefix.names" 2>&1
    while read -r alias; do echo "$alias:"; "$@" --resolve-alias "$alias" 2>&1; done \
        <"$out/modaliases" >"$out/$prefix.aliases"
}
say "depmod (postinst, DKMS)"
depmod "$release" >"$out/depmod-postinst.log" 2>&1
echo "exit=$?" >>"$out/depmod-postinst.log"
tar -C "$moddir" -cf "$out/depmod-postinst.tar" $(cd "$moddir" && ls modules.* | sort)
resolve depmod-postinst
say "depmod -F"
depmod -a "$release" -F "/boot/System.map-$release" >"$out/depmod-dkms.log" 2>&1
echo "exit=$?" >>"$out/depmod-dkms.log"
tar -C "$moddir" -cf "$out/depmod-dkms.tar" $(cd "$moddir" && ls modules.* | sort)
resolve depmod-dkms

# update-initramfs in the running system: its module list, and the image itself for the next boot.
say "update-initramfs -u (slow under emulation)"
update-initramfs -u -k "$release" >"$out/update-initramfs.log" 2>&1
echo "exit=$?" >>"$out/update-initramfs.log"
lsinitramfs "/boot/initrd.img-$release" | sort >"$out/initramfs.list"
cp "/boot/initrd.img-$release" "$out/initrd.img"

# examples/hello built out of tree, installed under updates/, options from /etc/modprobe.d.
say "hello"
{
    mkdir -p "$moddir/updates"
    cp "$share/hello.ko" "$moddir/updates/hello.ko"
    depmod -a "$release"; echo "depmod=$?"
    grep '^updates/hello.ko:' "$moddir/modules.dep"
    echo "options hello who=modkit-system" >/etc/modprobe.d/hello.conf
    modinfo -F filename hello
    modprobe hello; echo "modprobe=$?"
    grep '^hello ' /proc/modules | cut -d' ' -f1,3,5
    cat /sys/module/hello/parameters/who
    modprobe -r hello; echo "modprobe-r=$?"
    grep -c '^hello ' /proc/modules
    dmesg | grep -o 'hello: .*'
    rm -f "$moddir/updates/hello.ko" /etc/modprobe.d/hello.conf
    depmod -a "$release"
} >"$out/hello" 2>&1
finish
