# modules: crc16 mbcache jbd2 ext4
# ext4's dependency chain, loaded module by module; unknown symbols; removal of modules in use.
# Debian 12's modules are .ko files; Debian 13's are the package's own signed .ko.xz files.
KO=.ko; [ "$DEBIAN" = 12 ] || KO=.ko.xz
COMPARE_RESET=":"
# Debian's signed module as the release ships it: every field, signature included.
compare modinfo /modules/ext4$KO
compare modinfo -F signer /modules/crc16$KO
compare insmod /modules/ext4$KO
check "ext4 did not load without its dependencies" test ! -e /sys/module/ext4
for m in crc16 mbcache jbd2 ext4; do
    run modkit insmod /modules/$m$KO
done
check "ext4 is live" test "$(cat /sys/module/ext4/initstate)" = live
compare lsmod
compare rmmod jbd2
compare rmmod crc16 mbcache
compare rmmod /modules/jbd2$KO
run modkit rmmod ext4 jbd2 mbcache crc16
check "the chain is gone" test ! -e /sys/module/ext4 -a ! -e /sys/module/jbd2 -a ! -e /sys/module/crc16
compare rmmod ext4
