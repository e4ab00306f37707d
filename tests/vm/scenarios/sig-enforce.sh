# modules: crc16
# append: module.sig_enforce=1
# With signatures enforced the unsigned hello is refused and Debian's signed crc16 accepted
# (on Debian 13 also as the package's .ko.xz, and hello compressed).
COMPARE_RESET=":"
compare insmod /modules/hello.ko
check "unsigned hello refused" test ! -e /sys/module/hello
COMPARE_RESET="/kmod/bin/rmmod crc16 2>/dev/null"
compare insmod /modules/crc16.ko
run modkit insmod /modules/crc16.ko
check "signed crc16 accepted" test "$(cat /sys/module/crc16/initstate)" = live
if [ "$DEBIAN" = 13 ]; then
    # The package's signed crc16.ko.xz: the kernel checks the signature after decompressing it.
    /kmod/bin/rmmod crc16
    COMPARE_RESET="/kmod/bin/rmmod crc16 2>/dev/null"
    compare insmod /modules/crc16.ko.xz
    check "signed crc16.ko.xz accepted" sh -c '/modkit/bin/insmod /modules/crc16.ko.xz && test "$(cat /sys/module/crc16/initstate)" = live'
    /kmod/bin/rmmod crc16
    COMPARE_RESET=":"
    compare insmod /modules/hello.ko.xz
    check "unsigned hello.ko.xz refused" test ! -e /sys/module/hello
fi
