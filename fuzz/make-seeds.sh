#!/usr/bin/env bash
# Usage: fuzz/make-seeds.sh OUT
# Builds the seed corpora of every fuzz target under OUT/<target>/ from the real trees (scripts/fetch-kernel.sh:
# Debian 12's plain, .ko.xz and .ko.zst modules and its kernel image, Debian 13's modules), the host's modprobe.d,
# kmod's own depmod over a handful of modules (small real indexes), and the committed tiny seeds in fuzz/seeds.
# Nothing is committed from here: OUT lives in the cache. Idempotent (OUT is made anew).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1
rm -rf "$out"; mkdir -p "$out"
kernel=$(scripts/fetch-kernel.sh)
release=$(basename "$kernel")
plain=$kernel/plain/lib/modules/$release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Committed seeds first (text targets: hand-made lines in the syntax's corners).
for dir in fuzz/seeds/*/; do
    mkdir -p "$out/$(basename "$dir")"; cp "$dir"/* "$out/$(basename "$dir")/"
done

# Small real modules: the smallest few, and the smallest with parameters, dependencies and aliases.
small=$(find "$plain" -name '*.ko' -size -12k -printf '%s %p\n' | sort -n | awk '{print $2}')
pick() { for m in $small; do if modinfo -F "$1" "$m" 2>/dev/null | grep -q .; then echo "$m"; return; fi; done; }
modules=$( { echo "$small" | head -3; pick parm; pick depends; pick alias; pick softdep; } | awk 'NF && !seen[$0]++')
trixie=$(scripts/fetch-kernel.sh trixie 2>/dev/null || true)
trixie_module=
if [ -n "$trixie" ]; then
    trixie_module=$(find "$trixie/plain" -name '*.ko' -size -12k -printf '%s %p\n' 2>/dev/null | sort -n | head -1 | awk '{print $2}')
fi

mkdir -p "$out/elf-modinfo" "$out/elf-depmod" "$out/decompress" "$out/signature" "$out/verify" "$out/index" \
    "$out/modprobe-conf" "$out/depmod-conf" "$out/cmdline" "$out/modname"
i=0
for m in $modules $trixie_module; do
    i=$((i + 1)); name=$(basename "$m" .ko)
    cp "$m" "$out/elf-modinfo/$i-$name.ko"; cp "$m" "$out/elf-depmod/$i-$name.ko"
    # The signature and its trailer after a few bytes of content (the signature target reads from the end).
    siglen=$(tail -c 40 "$m" | head -c 12 | tail -c 4 | od -An -tu4 --endian=big | tr -d ' ')
    if [ "$(tail -c 28 "$m")" = "~Module signature appended~" ] || [ -n "$siglen" ]; then
        { head -c 16 "$m"; tail -c $((siglen + 40)) "$m"; } > "$out/signature/$i-$name.sig" 2>/dev/null || true
    fi
    # .modinfo strings, as module names and parameters see them.
    objcopy -O binary --only-section=.modinfo "$m" "$out/modname/$i-$name.modinfo" 2>/dev/null || true
done
first=$(echo "$modules" | head -1)
# An unsigned copy (the signature stripped) and one truncated in its section headers.
siglen=$(tail -c 40 "$first" | head -c 12 | tail -c 4 | od -An -tu4 --endian=big | tr -d ' ')
head -c $(( $(stat -c %s "$first") - siglen - 40 )) "$first" > "$out/elf-modinfo/unsigned.ko"
cp "$out/elf-modinfo/unsigned.ko" "$out/elf-depmod/unsigned.ko"

# Compressed copies: the trees' own .ko.xz and .ko.zst of the same modules, and gzip made here.
for m in $(echo "$modules" | head -3); do
    rel=${m#"$plain"/}; name=$(basename "$m" .ko)
    cp "$kernel/xz/lib/modules/$release/$rel.xz" "$out/decompress/$name.ko.xz"
    cp "$kernel/zst/lib/modules/$release/$rel.zst" "$out/decompress/$name.ko.zst"
    gzip -9 -c "$m" > "$out/decompress/$name.ko.gz"
done
printf 'tiny module' | xz -C crc32 > "$out/decompress/tiny.xz"
printf 'tiny module' | zstd -q -c > "$out/decompress/tiny.zst"
printf 'tiny module' | gzip -c > "$out/decompress/tiny.gz"

# Certificates: the kernel's built-in list (Debian's signing key) with a module it signed, and a local EC key's
# certificate with a module signed here by the kernel's sign-file. The verify input is u16be(cert length), certs, image.
certs=$kernel/kernel-certs.der
[ -s "$certs" ] || scripts/kernel-certs.sh "$kernel/vmlinuz-$release" "$certs"
verify_seed() { # CERTS MODULE OUT
    local n; n=$(stat -c %s "$1")
    { printf "\\x$(printf %02x $((n >> 8)))\\x$(printf %02x $((n & 255)))"; cat "$1" "$2"; } > "$3"
}
verify_seed "$certs" "$first" "$out/verify/debian.bin"
if sign_file=$(scripts/fetch-sign-file.sh 2>/dev/null); then
    openssl req -new -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj /CN=modkit-fuzz \
        -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
    openssl x509 -in "$work/cert.pem" -outform DER -out "$work/cert.der"
    "$sign_file" sha256 "$work/key.pem" "$work/cert.pem" "$out/elf-modinfo/unsigned.ko" "$work/signed.ko"
    verify_seed "$work/cert.der" "$work/signed.ko" "$out/verify/local-ec.bin"
    openssl req -new -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=modkit-fuzz-rsa \
        -keyout "$work/rkey.pem" -out "$work/rcert.pem" 2>/dev/null
    "$sign_file" -k sha512 "$work/rkey.pem" "$work/rcert.pem" "$out/elf-modinfo/unsigned.ko" "$work/rsigned.ko"
    verify_seed "$work/rcert.pem" "$work/rsigned.ko" "$out/verify/local-rsa-pem-keyid.bin"
fi

# Small real indexes: kmod's depmod over the picked modules, and the real tree's builtin indexes.
tree=$work/tree/lib/modules/$release
mkdir -p "$tree/kernel"
for m in $modules; do cp "$m" "$tree/kernel/"; done
cp "$plain/modules.builtin" "$plain/modules.order" "$tree/" 2>/dev/null || true
depmod -b "$work/tree" "$release"
for f in "$tree"/modules.*.bin; do cp "$f" "$out/index/$(basename "$f")"; done
cp "$plain/modules.builtin.bin" "$out/index/real-modules.builtin.bin"
cp "$plain/modules.builtin.alias.bin" "$out/index/real-modules.builtin.alias.bin"

# Configuration: the host's modprobe.d files and the test suite's.
for f in /lib/modprobe.d/*.conf /etc/modprobe.d/*.conf tests/ModKit.Tests/TestData/modprobe.d/*; do
    [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 16384 ] && cp "$f" "$out/modprobe-conf/host-$(basename "$f")"
done
for f in /lib/depmod.d/*.conf /etc/depmod.d/*.conf; do
    [ -f "$f" ] && cp "$f" "$out/depmod-conf/host-$(basename "$f")"
done
[ -r /proc/cmdline ] && cp /proc/cmdline "$out/cmdline/host-cmdline"

# Module names: real names, paths and aliases from the tree's text indexes.
awk -F: 'NR <= 40 {printf "%s%c", $1, 0}' "$plain/modules.dep" > "$out/modname/dep-paths"
awk 'NR % 500 == 1 && NR < 20000 {printf "%s%c%s%c", $2, 0, $3, 0}' "$plain/modules.alias" > "$out/modname/aliases"
echo "seeds: $(find "$out" -type f | wc -l) files in $out" >&2
