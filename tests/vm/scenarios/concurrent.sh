# tree: ext4 jbd2 mbcache crc16 crc32c-intel crc32c_generic vfat fat msdos udf cdrom crc-itu-t minix hfs hfsplus qnx4 efs befs ufs
# smp: 2
# timeout: 900
# Concurrent modprobe, as the kernel starts it: 50 at once, kmod's and then ModKit's, each from a clean state.
# 1. 50 `modprobe -q -- fs-ext4` with standard input, output and error closed (request_module's command line);
# 2. 50 of ten file-system aliases (five each; fat and cdrom are shared dependencies);
# 3. the kernel's own request_module: 50 concurrent `mount -t TYPE` of those types, with
#    /proc/sys/kernel/modprobe naming a wrapper that runs the tool and records its arguments and exit status;
# 4. 50 concurrent `modprobe -r jbd2` while ext4 holds it: each fails with kmod's message and status.
# Checked for each: every exit status 0 (4: kmod's), the same modules live afterwards as one serial modprobe
# leaves, and each of them loaded exactly once (the kernel's module_load tracepoint: one event a module).
FS="vfat msdos udf minix hfs hfsplus qnx4 efs befs ufs"
# The busybox applets this needs beyond init's.
for applet in sort uniq seq; do [ -e /bin/$applet ] || ln -s busybox /bin/$applet; done
mkdir -p /tmp/mnt
# The mounts of "none" each log "Can't lookup blockdev" (6.12): keep the console for the results.
dmesg -n 1
unload_all() {
    for pass in 1 2 3 4; do
        for mod in $(cut -d" " -f1 /proc/modules); do /kmod/bin/rmmod "$mod" 2>/dev/null; done
    done
}
# The live modules, sorted, with their reference counts (the order of /proc/modules follows the race).
live() { cut -d' ' -f1,3 /proc/modules | sort; }
# The modules the kernel loaded since the last call (tracepoint module:module_load, one event a module really
# loaded), sorted, one a line. (Successful finit_module calls do not count loads: on 6.12, unlike 6.1, concurrent calls
# on the same file wait for the first and all return its result, 0.)
loads_on() {
    mount -t tracefs tracefs $TRACE 2>/dev/null
    echo 1 > $TRACE/events/module/module_load/enable && echo > $TRACE/trace
}
loads() { sed -n 's/.* module_load: \([^ ]*\).*/\1/p' $TRACE/trace | sort; echo > $TRACE/trace; }
# The 6.12 kernel's crypto self-tests hold a just-loaded crc32c for a moment: wait for such counts to drop.
settle() { for i in 1 2 3 4 5 6 7 8 9 10; do grep -q ' [1-9][0-9]* - ' /proc/modules || break; sleep 0.2; done; }
# Expected state: what one plain modprobe of each alias leaves.
expect() { # <alias...>
    unload_all
    for a in "$@"; do /kmod/bin/modprobe -q -- "$a"; done
    settle; live
    unload_all
}
# 50 modprobe -q -- ALIAS at once (the aliases cycled), streams closed; the exit statuses, counted.
burst() { # <impl> <alias...>
    impl=$1; shift
    pids=""
    for i in $(seq 1 50); do
        n=$(( (i - 1) % $# + 1 ))
        eval "a=\${$n}"
        ( exec 0<&- 1>&- 2>&-; exec /$impl/bin/modprobe -q -- "$a" ) &
        pids="$pids $!"
    done
    # (wait in this shell, not in a pipeline's subshell, whose wait knows no children)
    : > /tmp/statuses
    for p in $pids; do wait "$p"; echo "exit $?" >> /tmp/statuses; done
    sort /tmp/statuses | uniq -c
}
# The same through the kernel: 50 mounts at once, each type's first mount calls request_module("fs-TYPE").
kernel_burst() { # <impl> <type...>
    impl=$1; shift
    printf '#!/bin/sh\nexport MODKIT_KMOD=%s\n/%s/bin/modprobe "$@"\nrc=$?\necho "$rc $*" >> /tmp/requests\nexit $rc\n' \
        "$MODKIT_KMOD" "$impl" > /tmp/modprobe-wrapper
    chmod 0755 /tmp/modprobe-wrapper
    : > /tmp/requests
    echo /tmp/modprobe-wrapper > /proc/sys/kernel/modprobe
    pids=""
    for i in $(seq 1 50); do
        n=$(( (i - 1) % $# + 1 ))
        eval "t=\${$n}"
        mkdir -p /tmp/mnt/$i
        mount -t "$t" none /tmp/mnt/$i 2>/dev/null &
        pids="$pids $!"
    done
    for p in $pids; do wait "$p"; done
    echo /sbin/modprobe > /proc/sys/kernel/modprobe
}
# check_burst <what> <expected live> <counted statuses> <expected statuses>: the statuses, the expected modules,
# each loaded once.
check_burst() {
    label=$1 want=$2 statuses=$3 all=$4   # ("what" is check's)
    settle
    got=$(live); loaded=$(loads)
    echo "$label: $(echo $statuses)"
    check "$label: every modprobe exits 0" test "$(echo $statuses)" = "$all"
    check "$label: the modules of a serial modprobe are live" test "$got" = "$want"
    check "$label: each loaded once ($(echo "$loaded" | wc -l) loads, $(echo "$got" | wc -l) modules)" \
        test "$loaded" = "$(echo "$got" | cut -d' ' -f1)"
    [ "$loaded" = "$(echo "$got" | cut -d' ' -f1)" ] || echo "$loaded" | uniq -c | sed 's/^/  loaded| /' 
    [ "$got" = "$want" ] || { echo "$got" | sed 's/^/  got| /'; echo "$want" | sed 's/^/  want| /'; }
}

check "no module is loaded at the start" test -z "$(cat /proc/modules)"
loads_on || echo "FAIL no module_load tracepoint"
aliases=""; for t in $FS; do aliases="$aliases fs-$t"; done
want_ext4=$(expect fs-ext4)
want_fs=$(expect $aliases)
loads >/dev/null
for impl in kmod modkit; do
    unload_all; loads >/dev/null
    check_burst "$impl: 50 x modprobe -q -- fs-ext4" "$want_ext4" "$(burst $impl fs-ext4)" "50 exit 0"
    unload_all; loads >/dev/null
    check_burst "$impl: 50 x modprobe -q -- (10 aliases)" "$want_fs" "$(burst $impl $aliases)" "50 exit 0"
    unload_all; loads >/dev/null
    kernel_burst $impl $FS
    count=$(wc -l < /tmp/requests)
    echo "$impl: the kernel ran modprobe $count times: $(cut -d' ' -f2- /tmp/requests | sort | uniq -c | tr -s ' ' | tr '\n' ',')"
    missing=""; for t in $FS; do grep -q "^[0-9]* -q -- fs-$t\$" /tmp/requests || missing="$missing $t"; done
    check "$impl: the kernel ran modprobe -q -- fs-TYPE for each type (missing:$missing)" test -z "$missing"
    check_burst "$impl: 50 x mount -t (request_module)" "$want_fs" "$(cut -d' ' -f1 /tmp/requests | sort | uniq -c)" "$count 0"
done
unload_all

# Removal of a module in use (jbd2, held by ext4): every one of 50 concurrent modprobe -r fails as kmod's does.
for impl in kmod modkit; do
    /kmod/bin/modprobe ext4; settle
    before=$(live)
    pids=""
    for i in $(seq 1 50); do
        ( /$impl/bin/modprobe -r jbd2 >/tmp/r.$i.out 2>/tmp/r.$i.err; echo "exit $?" >> /tmp/r.$i.err ) &
        pids="$pids $!"
    done
    for p in $pids; do wait "$p"; done
    cat /tmp/r.*.out /tmp/r.*.err | sort | uniq -c > /tmp/remove.$impl
    rm -f /tmp/r.*
    sed "s/^/  $impl| /" /tmp/remove.$impl
    settle
    check "$impl: 50 x modprobe -r jbd2 (in use): the modules stay" test "$(live)" = "$before"
    unload_all
done
check "modprobe -r of a module in use: ModKit's messages and statuses are kmod's" diff /tmp/remove.kmod /tmp/remove.modkit
