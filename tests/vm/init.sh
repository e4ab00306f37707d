#!/bin/sh
# The initramfs's /init: mounts the kernel file systems, runs /scenario.sh with helpers, powers off.
# Output between the markers is what tests/vm/run.sh reports.
export PATH=/bin:/sbin:/usr/bin
# The release (run.sh writes /vm.env): DEBIAN (12 or 13), KMOD_VERSION (the oracle's: 30 or 34.2),
# MODULE_DIR, and MODKIT_KMOD, so that modkit behaves as the kmod beside it.
. /vm.env
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp

# run <modkit|kmod> <tool> [args...]: shows the command, its stdout, stderr and exit status.
run() {
    impl=$1; tool=$2; shift 2
    "/$impl/bin/$tool" "$@" >/tmp/out 2>/tmp/err
    rc=$?
    echo "\$ $impl $tool $*"
    sed 's/^/  out| /' /tmp/out
    sed 's/^/  err| /' /tmp/err
    echo "  exit=$rc"
    return $rc
}

# compare <tool> [args...]: runs modkit's and kmod's tool the same way (each after the given setup)
# and prints SAME or FAIL with both outputs. The kernel state must be the same before each run;
# scenarios reset it themselves (see hello.sh): COMPARE_RESET is evaluated after each run. When
# COMPARE_STATE is set, its output after each run (e.g. the module list) is compared as well, and after
# each reset it must be back to what it was before the first run.
compare() {
    tool=$1; shift
    state=: ; [ -z "${COMPARE_STATE:-}" ] || state=$COMPARE_STATE
    eval "$state" >/tmp/s.before 2>&1
    "/modkit/bin/$tool" "$@" >/tmp/m.out 2>/tmp/m.err; mrc=$?
    eval "$state" >/tmp/m.state 2>&1
    eval "${COMPARE_RESET:-:}"
    eval "$state" >/tmp/m.reset 2>&1
    "/kmod/bin/$tool" "$@" >/tmp/k.out 2>/tmp/k.err; krc=$?
    eval "$state" >/tmp/k.state 2>&1
    eval "${COMPARE_RESET:-:}"
    eval "$state" >/tmp/k.reset 2>&1
    # Debian's kmod 30 is a debug build: its libkmod messages carry a C source location.
    sed -i -E 's#^([a-z]+): ([A-Z]+): \.\./libkmod/[a-z-]+\.c:[0-9]+ [a-z_]+\(\) #\1: \2: #' /tmp/k.err
    if ! diff /tmp/s.before /tmp/m.reset >/dev/null || ! diff /tmp/s.before /tmp/k.reset >/dev/null; then
        echo "FAIL $tool $*: the reset did not restore the state"
        sed 's/^/  before| /' /tmp/s.before; sed 's/^/  after modkit+reset| /' /tmp/m.reset
        sed 's/^/  after kmod+reset| /' /tmp/k.reset
    fi
    if [ "$mrc" = "$krc" ] && diff /tmp/m.out /tmp/k.out >/dev/null && diff /tmp/m.err /tmp/k.err >/dev/null \
        && diff /tmp/m.state /tmp/k.state >/dev/null; then
        echo "SAME $tool $* (exit $mrc)"
        sed 's/^/  out| /' /tmp/m.out; sed 's/^/  err| /' /tmp/m.err
        [ -z "${COMPARE_STATE:-}" ] || sed 's/^/  state| /' /tmp/m.state
    else
        echo "FAIL $tool $*: modkit exit $mrc, kmod exit $krc"
        sed 's/^/  modkit out| /' /tmp/m.out; sed 's/^/  modkit err| /' /tmp/m.err
        sed 's/^/  kmod out| /' /tmp/k.out; sed 's/^/  kmod err| /' /tmp/k.err
        if [ -n "${COMPARE_STATE:-}" ]; then
            sed 's/^/  modkit state| /' /tmp/m.state; sed 's/^/  kmod state| /' /tmp/k.state
        fi
    fi
}

# syscalls_on: traces the module-loading system calls through the kernel's syscall tracepoints
# (tracefs, CONFIG_FTRACE_SYSCALLS): entry and exit of finit_module and init_module.
TRACE=/sys/kernel/tracing
syscalls_on() {
    mount -t tracefs tracefs $TRACE 2>/dev/null
    for e in sys_enter_finit_module sys_exit_finit_module sys_enter_init_module sys_exit_init_module; do
        echo 1 > $TRACE/events/syscalls/$e/enable || return 1
    done
    echo > $TRACE/trace
}

# syscalls: prints the calls traced since the last call (and forgets them), one line each, without
# process ids, time stamps, file descriptors and user addresses, e.g.
#   insmod finit_module(flags: 0x4) = 0
#   insmod init_module(len: 0x3c4a0) = -22
syscalls() {
    sed -n -E 's/^ *(.*)-[0-9]+ +\[[0-9]+\] [^ ]+ +[0-9.]+: sys_(f?init_module)/\1 \2/p' $TRACE/trace \
        | sed -E 's/(fd|umod|uargs): (0x)?[0-9a-f]+(, )?//g; s/, \)/)/; s/: (0x)?0*([0-9a-f]+)/: 0x\2/g' \
        | while read -r comm call rest; do
            case $call in
                *'('*) printf '%s %s' "$comm" "$call${rest:+ $rest}" ;;
                *) echo " = $(( ${rest#-> } ))" ;;   # the exit event: "-> 0x..." as a signed number
            esac
        done
    echo > $TRACE/trace
}

# check <description> <command...>: PASS or FAIL on the command's status.
check() {
    what=$1; shift
    if "$@"; then echo "PASS $what"; else echo "FAIL $what"; fi
}

echo "@@MODKIT-VM-BEGIN@@"
echo "kernel $(uname -r)"
echo "oracle: $(/usr/bin/kmod -V 2>&1 | head -1); modkit: MODKIT_KMOD=$MODKIT_KMOD"
. /scenario.sh
echo "@@MODKIT-VM-END@@"
poweroff -f
