# tree: ext4 jbd2 mbcache crc16 crc32c-intel crc32c_generic
# libkmod: client
# timeout: 900
# Loading and removing through the library: tests/vm/libkmod-load.c linked against the release's libkmod
# (/kmod/bin/libkmod-load: 30 on Debian 12, 34.2 on Debian 13) and against ModKit's libkmod.so.2
# (/modkit/bin/libkmod-load), each run from the same kernel state and compared with the modules loaded
# after it: probe_insert with dependencies, softdeps and options, the blacklist and loaded flags,
# insert_module by path and by name, remove_module of modules in use, the kernel-state getters over the
# real /sys/module, new_from_loaded, get_info of module files. Debian 13's tree has the package's .ko.xz
# files, which both libraries give the kernel to decompress (finit_module's MODULE_INIT_COMPRESSED_FILE).
# Last, the cost of a load through each library, measured in the process (not compared).
K=$(uname -r)
mkdir -p /etc/modprobe.d
conf() { printf '%s\n' "$@" > /etc/modprobe.d/test.conf; }
noconf() { rm -f /etc/modprobe.d/test.conf; }
modules_state() {
    # A module just loaded may be held for a moment by the kernel itself (crc32c_intel by the crypto
    # self-tests): wait up to 2 s for such counts to drop.
    for i in 1 2 3 4 5 6 7 8 9 10; do grep -q ' [1-9][0-9]* - ' /proc/modules || break; sleep 0.2; done
    cut -d' ' -f1,3,4 /proc/modules
    if [ -e /sys/module/hello/parameters/who ]; then echo "hello.who=$(cat /sys/module/hello/parameters/who)"; fi
}
unload_all() {
    for pass in 1 2 3; do
        for mod in $(cut -d" " -f1 /proc/modules); do /kmod/bin/rmmod "$mod" 2>/dev/null; done
    done
}
reset_to() {
    [ "$(modules_state)" = "$saved" ] || { unload_all; eval "$1" >/dev/null; }
}
# Which library each client runs on (the loader's own listing).
libkmod_of() { LD_TRACE_LOADED_OBJECTS=1 "$1" | sed -n 's/^[[:space:]]*libkmod.so.2 => \([^ ]*\).*/\1/p'; }
check "ModKit's client runs on /modkit/lib/libkmod.so.2" test "$(libkmod_of /modkit/bin/libkmod-load)" = /modkit/lib/libkmod.so.2
debian_libkmod() { libkmod_of /kmod/bin/libkmod-load | grep -q '^/.*lib/x86_64-linux-gnu/libkmod.so.2$'; }
check "Debian's client runs on Debian's libkmod" debian_libkmod
check "no module is loaded at the start" test -z "$(cat /proc/modules)"
COMPARE_STATE=modules_state
COMPARE_RESET=unload_all

# probe_insert: ext4's chain with its softdep (crypto-crc32c), by name and alias; plans; options.
compare libkmod-load probe - ext4
compare libkmod-load probe - fs-ext4
compare libkmod-load probe dry-run ext4
compare libkmod-load probe ignore-command,fail-on-loaded crypto-crc32c
compare libkmod-load probe - hello who=Arg
conf "options hello who=Conf"
compare libkmod-load probe - hello
compare libkmod-load probe - hello who=Arg
# Blacklists: by name, of a dependency, through an alias only.
conf "blacklist hello" "alias greeter hello" "blacklist mbcache"
compare libkmod-load probe blacklist hello
compare libkmod-load probe blacklist-all hello
compare libkmod-load probe alias-only hello
compare libkmod-load probe alias-only greeter
compare libkmod-load probe blacklist ext4
compare libkmod-load probe blacklist-all ext4
noconf
compare libkmod-load probe - nosuchmodule
# insert_module: one module, no dependencies; by path (plain and .ko.xz) and by name.
compare libkmod-load insert $MODULE_DIR/extra/hello.ko who=Path
compare libkmod-load insert /modules/hello.ko.xz
compare libkmod-load insert hello who=Name
compare libkmod-load insert crc16
compare libkmod-load insert ext4
compare libkmod-load insert nosuchmodule
compare libkmod-load remove - ext4 nosuchmodule

# The system calls each library makes (the kernel's syscall tracepoints, as in compressed.sh): Debian 13's
# .ko.xz files go to finit_module with MODULE_INIT_COMPRESSED_FILE (0x4), the kernel decompresses them;
# on Debian 12 (kmod 30, no in-kernel decompression) .ko files go to finit_module without flags and the
# library decompresses a .ko.xz itself for init_module.
if syscalls_on; then
    COMPARE_STATE='modules_state; syscalls'
    compare libkmod-load probe - ext4
    calls() { # <pattern> <count>: both runs made <count> calls matching <pattern> and no other load call
        for side in m k; do
            [ "$(grep -c "$1" /tmp/$side.state)" = "$2" ] || return 1
            [ "$(grep -c 'init_module(' /tmp/$side.state)" = "$2" ] || return 1
        done
    }
    if [ "$DEBIAN" = 13 ]; then
        check "ext4's chain: six finit_module calls with MODULE_INIT_COMPRESSED_FILE" calls 'finit_module(flags: 0x4) = 0$' 6
        compare libkmod-load insert /modules/hello.ko.xz
        check "hello.ko.xz: finit_module with MODULE_INIT_COMPRESSED_FILE" calls 'finit_module(flags: 0x4) = 0$' 1
    else
        check "ext4's chain: six finit_module calls without flags" calls 'finit_module(flags: 0x0) = 0$' 6
        compare libkmod-load insert /modules/hello.ko.xz
        check "hello.ko.xz: decompressed by the library for init_module" calls ' init_module(len: 0x[0-9a-f]*) = 0$' 1
    fi
    COMPARE_STATE=modules_state
    for e in $TRACE/events/syscalls/sys_*_*init_module/enable; do echo 0 > "$e"; done   # no tracing cost below
else
    echo "FAIL the kernel's syscall tracepoints are not available"
fi

# With ext4's chain and hello loaded: the getters over /sys/module, the loaded flags, busy modules.
/kmod/bin/modprobe ext4
/kmod/bin/modprobe hello who=Loaded
saved=$(modules_state)
COMPARE_RESET='reset_to "/kmod/bin/modprobe ext4; /kmod/bin/modprobe hello who=Loaded"'
check "ext4's chain and hello are live" test "$(cut -d' ' -f1 /proc/modules | sort | tr '\n' ' ')" = "crc16 crc32c_generic crc32c_intel ext4 hello jbd2 mbcache "
compare libkmod-load state ext4 jbd2 mbcache crc16 crc32c_intel crc32c_generic hello nosuchmodule
compare libkmod-load loaded
compare libkmod-load probe - ext4
compare libkmod-load probe ignore-loaded ext4
compare libkmod-load probe fail-on-loaded ext4
compare libkmod-load probe ignore-loaded hello who=Again
compare libkmod-load insert $MODULE_DIR/extra/hello.ko
compare libkmod-load remove - jbd2
compare libkmod-load remove nolog mbcache
compare libkmod-load remove force jbd2
compare libkmod-load remove - hello
compare libkmod-load remove - ext4 jbd2 mbcache crc16
unload_all

# Module files: Debian's signed module (a .ko.xz on Debian 13) and the compressed hello.
COMPARE_STATE=
COMPARE_RESET=:
compare libkmod-load info "$(find $MODULE_DIR/kernel -name 'ext4.ko*')"
compare libkmod-load info /modules/hello.ko.xz

# The cost of a load: ext4's chain (6 modules) probed and removed 11 times in one process; the first run
# includes kmod_new (and ModKit's runtime start).
for impl in kmod modkit; do
    echo "TIME $impl libkmod, ext4: $(/$impl/bin/libkmod-load time 11 ext4)"
done
check "nothing is left loaded" test -z "$(cat /proc/modules)"
