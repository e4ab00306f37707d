#!/usr/bin/env bash
# Usage: scripts/kernel-certs.sh <vmlinuz> <out.der>
# Writes the kernel's built-in certificate list (the keys it trusts for module signatures) as DER
# certificates one after the other: the compressed payload of the bzImage is found by its magic and
# decompressed (xz or zstd, as the kernel's extract-vmlinux does), then the certificates are found in it.
set -euo pipefail
vmlinuz=$1 out=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The first payload that decompresses to an ELF file (trailing data after the stream is ignored).
for magic in '\xfd\x37\x7a\x58\x5a\x00:xz' '\x28\xb5\x2f\xfd:zstd' '\x1f\x8b\x08:gzip'; do
    for offset in $(LC_ALL=C grep -obUaP "${magic%%:*}" "$vmlinuz" | cut -d: -f1); do
        tail -c +"$((offset + 1))" "$vmlinuz" | "${magic##*:}" -dc > "$work/vmlinux" 2>/dev/null || true
        [ "$(head -c 4 "$work/vmlinux" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] && break 2
    done
done
[ -s "$work/vmlinux" ] || { echo "kernel-certs: no ELF payload in $vmlinuz" >&2; exit 1; }

# Debian ships no real System.map, so the list is found by its contents: DER certificates
# (SEQUENCE { SEQUENCE tbsCertificate ... } with two-byte lengths) that openssl reads, one right
# after the other; the longest such run is the list (certs/system_certificates.S concatenates them).
perl -0777 -ne '
    while (/\x30\x82(..)\x30\x82/gs) {
        my $at = pos() - 6; my $len = unpack("n", $1) + 4;
        print "$at $len\n"; pos() = $at + 1;
    }' "$work/vmlinux" > "$work/candidates"
while read -r at len; do
    { tail -c +"$((at + 1))" "$work/vmlinux" || true; } | head -c "$len" > "$work/one.der"
    openssl x509 -inform DER -in "$work/one.der" -noout 2>/dev/null && echo "$at $len"
done < "$work/candidates" > "$work/certificates"
run=$(awk '{ if ($1 == end) { n++ } else { n = 1; first = $1 } end = $1 + $2
             if (n > best) { best = n; from = first; to = end } } END { print from, to - from, best }' "$work/certificates")
read -r from length count <<<"$run"
[ -n "$count" ] || { echo "kernel-certs: no certificate in $vmlinuz" >&2; exit 1; }
{ tail -c +"$((from + 1))" "$work/vmlinux" || true; } | head -c "$length" > "$out"
echo "kernel-certs: $count certificate(s), $length bytes at offset $from of the decompressed kernel" >&2
