# debian: 13
# modules: crc16 mbcache jbd2 ext4
# tree: ext4 jbd2 mbcache crc16 crc32c-intel crc32c_generic
# timeout: 480
# Debian 13's kernel decompresses modules itself (CONFIG_MODULE_DECOMPRESS; /sys/module/compression is
# xz): Debian's signed .ko.xz files, ext4's chain by insmod and by modprobe, go to finit_module with
# MODULE_INIT_COMPRESSED_FILE (flags 0x4). The kernel's syscall tracepoints record each finit_module and
# init_module call (its flags and result) of modkit's and kmod 34.2's runs, and the calls are compared
# with the modules left loaded. Then what the kernel cannot decompress: a .ko.zst (kmod and modkit
# decompress it themselves and call init_module) and an .xz with a CRC64 check, which the kernel's xz
# decoder rejects (EINVAL): kmod 34.2 fails, modkit retries with its own decompression.
check "the kernel decompresses xz" test "$(cat /sys/module/compression)" = xz
check "finit_module and init_module are traced" syscalls_on
modules_state() { cut -d' ' -f1,3,4 /proc/modules; }
unload_all() {
    for pass in 1 2 3; do
        for mod in $(cut -d" " -f1 /proc/modules); do /kmod/bin/rmmod "$mod" 2>/dev/null; done
    done
}
# compressed_path [count]: both runs of the last compare made (count, default 1) finit_module calls,
# every one with flags 0x4 and result 0, and no init_module call.
compressed_path() {
    n=${1:-1}
    for side in m k; do
        [ "$(grep -c 'finit_module(.*flags: 0x4) = 0$' /tmp/$side.state)" = "$n" ] || return 1
        ! grep -q ' init_module(' /tmp/$side.state || return 1
        [ "$(grep -c 'finit_module(' /tmp/$side.state)" = "$n" ] || return 1
    done
}
COMPARE_STATE='modules_state; syscalls'

# Debian's signed modules: a plain .ko goes to finit_module without flags, the package's .ko.xz with 0x4.
COMPARE_RESET=unload_all
compare insmod /modules/crc16.ko
check "crc16.ko: finit_module with flags 0" grep -q 'finit_module(flags: 0x0) = 0$' /tmp/m.state /tmp/k.state
compare insmod /modules/crc16.ko.xz
check "crc16.ko.xz: finit_module with MODULE_INIT_COMPRESSED_FILE" compressed_path
compare insmod /modules/ext4.ko.xz
check "ext4.ko.xz alone: the kernel decompressed it and found unknown symbols (ENOENT)" \
    sh -c "grep -q 'finit_module(flags: 0x4) = -2$' /tmp/m.state && grep -q 'finit_module(flags: 0x4) = -2$' /tmp/k.state"
for m in crc16 mbcache jbd2 ext4; do
    COMPARE_RESET="/kmod/bin/rmmod $m"
    compare insmod /modules/$m.ko.xz
    check "$m.ko.xz: finit_module with MODULE_INIT_COMPRESSED_FILE" compressed_path
    /modkit/bin/insmod /modules/$m.ko.xz   # loaded for the next one
    syscalls >/dev/null
done
check "ext4 is live" test "$(cat /sys/module/ext4/initstate)" = live
COMPARE_RESET=":"
compare insmod /modules/jbd2.ko.xz
unload_all
syscalls >/dev/null

# modprobe: the chain from modules.dep and Debian's softdep (crypto-crc32c: crc32c_intel, crc32c_generic).
COMPARE_RESET=unload_all
compare modprobe -v ext4
check "modprobe ext4: six finit_module calls with MODULE_INIT_COMPRESSED_FILE" compressed_path 6
compare modprobe -v fs-ext4
check "modprobe fs-ext4: the same" compressed_path 6
compare modprobe -a -v crc16 mbcache
check "modprobe -a crc16 mbcache: two" compressed_path 2
/kmod/bin/modprobe ext4
syscalls >/dev/null
COMPARE_RESET=":"
compare modprobe -v ext4
compare modprobe --first-time ext4
unload_all
syscalls >/dev/null

# examples/hello compressed by the kernel's settings (xz, CRC32): the same path, with its parameter.
COMPARE_STATE='modules_state; cat /sys/module/hello/parameters/who 2>/dev/null; syscalls'
COMPARE_RESET="/kmod/bin/rmmod hello 2>/dev/null"
compare insmod /modules/hello.ko.xz who=XZ
check "hello.ko.xz: finit_module with MODULE_INIT_COMPRESSED_FILE" compressed_path
# With -f both ignore flags join it (0x1|0x2|0x4); without, the kernel refuses the version magic (ENOEXEC).
compare insmod -f /modules/hello-badmagic.ko.xz
check "hello-badmagic.ko.xz -f: finit_module with flags 0x7" \
    sh -c "grep -q 'finit_module(flags: 0x7) = 0$' /tmp/m.state && grep -q 'finit_module(flags: 0x7) = 0$' /tmp/k.state"
COMPARE_RESET=":"
compare insmod /modules/hello-badmagic.ko.xz
check "hello-badmagic.ko.xz: refused after the kernel's decompression (ENOEXEC)" \
    sh -c "grep -q 'finit_module(flags: 0x4) = -8$' /tmp/m.state && grep -q 'finit_module(flags: 0x4) = -8$' /tmp/k.state"

# zstd on an xz-only kernel: neither asks the kernel; both decompress and call init_module.
COMPARE_RESET="/kmod/bin/rmmod hello 2>/dev/null"
compare insmod /modules/hello.ko.zst who=ZST
check "hello.ko.zst: init_module only, no finit_module" \
    sh -c "grep -q ' init_module(len: 0x[0-9a-f]*) = 0$' /tmp/m.state && grep -q ' init_module(len: 0x[0-9a-f]*) = 0$' /tmp/k.state && ! grep -q finit_module /tmp/m.state /tmp/k.state"

# xz with a CRC64 check: the kernel's decoder (lib/xz, built without XZ_USE_CRC64) refuses the stream
# header (XZ_OPTIONS_ERROR: "decompression failed with status 6") and finit_module returns EINVAL. Not
# compared: kmod 34.2 fails; modkit retries once with its own decompression through init_module.
dmesg -c >/dev/null
run modkit insmod /modules/hello-crc64.ko.xz who=CRC64
mrc=$?
syscalls > /tmp/crc64.m
sed 's/^/  syscall| /' /tmp/crc64.m
dmesg -c | sed 's/^\[[ 0-9.]*\] //; s/^/  kernel| /'
check "modkit: exit 0 and hello live with who=CRC64" test "$mrc.$(cat /sys/module/hello/parameters/who 2>&1)" = 0.CRC64
check "modkit: finit_module with 0x4 refused (EINVAL), then init_module" \
    test "$(sed 's/^[^ ]* //' /tmp/crc64.m | sed 's/len: 0x[0-9a-f]*/len/' | tr '\n' ';')" = "finit_module(flags: 0x4) = -22;init_module(len) = 0;"
/kmod/bin/rmmod hello
dmesg -c >/dev/null
run kmod insmod /modules/hello-crc64.ko.xz who=CRC64
krc=$?
syscalls > /tmp/crc64.k
sed 's/^/  syscall| /' /tmp/crc64.k
dmesg -c | sed 's/^\[[ 0-9.]*\] //; s/^/  kernel| /'
check "kmod $KMOD_VERSION: exit 1, hello not loaded" test "$krc" = 1 -a ! -e /sys/module/hello
check "kmod $KMOD_VERSION: one finit_module with 0x4, refused (EINVAL), no retry" \
    test "$(sed 's/^[^ ]* //' /tmp/crc64.k | tr '\n' ';')" = "finit_module(flags: 0x4) = -22;"
# With -v: what each says about it. And modprobe of a tree module in that form (modprobe.d's
# "install" is not needed: a path is loaded as that file).
run modkit insmod -v /modules/hello-crc64.ko.xz
/kmod/bin/rmmod hello 2>/dev/null
run kmod insmod -v /modules/hello-crc64.ko.xz
syscalls >/dev/null
cp /modules/hello-crc64.ko.xz $MODULE_DIR/extra/hello.ko.xz
run modkit modprobe -v $MODULE_DIR/extra/hello.ko.xz
syscalls > /tmp/crc64.m
sed 's/^/  syscall| /' /tmp/crc64.m
check "modkit modprobe: finit_module refused (EINVAL), then init_module" \
    test "$(sed 's/^[^ ]* //; s/len: 0x[0-9a-f]*/len/' /tmp/crc64.m | tr '\n' ';')" = "finit_module(flags: 0x4) = -22;init_module(len) = 0;"
/kmod/bin/rmmod hello 2>/dev/null
run kmod modprobe -v $MODULE_DIR/extra/hello.ko.xz
syscalls > /tmp/crc64.k
sed 's/^/  syscall| /' /tmp/crc64.k
check "kmod $KMOD_VERSION modprobe: finit_module refused (EINVAL), no retry" \
    test "$(sed 's/^[^ ]* //' /tmp/crc64.k | tr '\n' ';')" = "finit_module(flags: 0x4) = -22;"
check "nothing is left loaded" test -z "$(cat /proc/modules)"
