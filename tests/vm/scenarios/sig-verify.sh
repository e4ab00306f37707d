# modules: crc16
# verify: crc16
# append: module.sig_enforce=1
# With signatures enforced the kernel loads exactly the files that ModKit's modinfo --verify, run on the host
# against the certificate list built into this kernel image, called valid: Debian's crc16 (also as the package's
# .ko.xz on Debian 13), and crc16 with a byte of SignedData's digestAlgorithms changed (which the kernel ignores);
# not hello (unsigned), hello signed with a fresh key, or crc16 with a content, signature, content-type or
# descriptor byte changed.
for f in /modules/verify/*.ko /modules/verify/*.ko.xz; do
    [ -e "$f" ] || continue
    verdict=$(cat "$f.verdict")
    if /kmod/bin/insmod "$f" 2>/dev/null; then kernel=accepted; else kernel=refused; fi
    /kmod/bin/rmmod crc16 2>/dev/null; /kmod/bin/rmmod hello 2>/dev/null
    case $verdict in valid*) expected=accepted ;; *) expected=refused ;; esac
    check "${f##*/}: modkit ${verdict%% *}, kernel $kernel" test "$kernel" = "$expected"
done
