# The README's example: modkit loads examples/hello with a parameter, lists it, inspects it and
# removes it; then the same commands are compared with kmod's (kmod 30 on Debian 12, 34.2 on 13).
run modkit insmod /modules/hello.ko who=VM
check "who parameter is VM" test "$(cat /sys/module/hello/parameters/who)" = VM
check "hello is live" test "$(cat /sys/module/hello/initstate)" = live
check "the kernel log greets VM" sh -c 'dmesg | grep -q "hello: Hello, VM!"'
run modkit lsmod
run modkit modinfo /modules/hello.ko
run modkit rmmod hello
check "hello is gone" test ! -e /sys/module/hello
check "the kernel log says goodbye" sh -c 'dmesg | grep -q "hello: Goodbye, VM!"'
COMPARE_RESET=":"
compare modinfo /modules/hello.ko
compare modinfo -p /modules/hello.ko.xz

# insmod, then lsmod/rmmod on the loaded module; each tool's run starts from the same state.
COMPARE_RESET="/kmod/bin/rmmod hello 2>/dev/null"
compare insmod /modules/hello.ko who=X
compare insmod /modules/hello.ko.xz who=X
compare insmod /modules/hello.ko.zst who=X
/kmod/bin/insmod /modules/hello.ko
COMPARE_RESET=":"
compare insmod /modules/hello.ko
compare lsmod
COMPARE_RESET="/kmod/bin/insmod /modules/hello.ko"
compare rmmod hello
compare rmmod /modules/hello.ko
/kmod/bin/rmmod hello
COMPARE_RESET=":"
compare rmmod hello
compare rmmod -f hello

# Parameters with spaces: kmod 30 passes them unquoted (the kernel then sets who=a), kmod 34.2 quotes
# them (who="a b"); each profile does as its release, compared with the parameter the kernel got.
COMPARE_STATE='cat /sys/module/hello/parameters/who 2>/dev/null'
COMPARE_RESET="/kmod/bin/rmmod hello 2>/dev/null"
compare insmod /modules/hello.ko "who=a b"
compare insmod /modules/hello.ko.xz "who=a b"
unset COMPARE_STATE

# A version magic the kernel refuses: both fail alike; with -f both load it (CONFIG_MODULE_FORCE_LOAD=y),
# through finit_module's ignore flags (.ko) or through init_module with the vermagic blanked (.ko.xz).
COMPARE_RESET=":"
compare insmod /modules/hello-badmagic.ko
COMPARE_RESET="/kmod/bin/rmmod hello 2>/dev/null"
compare insmod -f /modules/hello-badmagic.ko
compare insmod -f /modules/hello-badmagic.ko.xz
run modkit insmod -f /modules/hello-badmagic.ko.xz who=forced
check "forced module is live" test "$(cat /sys/module/hello/parameters/who)" = forced
/kmod/bin/rmmod hello
