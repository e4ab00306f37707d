# modules: crc16
# append: module.sig_enforce=1
# With signatures enforced the unsigned hello is refused and Debian's signed crc16 accepted.
COMPARE_RESET=":"
compare insmod /modules/hello.ko
check "unsigned hello refused" test ! -e /sys/module/hello
COMPARE_RESET="/kmod/bin/rmmod crc16 2>/dev/null"
compare insmod /modules/crc16.ko
run modkit insmod /modules/crc16.ko
check "signed crc16 accepted" test "$(cat /sys/module/crc16/initstate)" = live
