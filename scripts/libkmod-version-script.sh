#!/usr/bin/env bash
# Writes libkmod.so.2's version script for one kmod release: the nodes of that release's
# libkmod/libkmod.sym (all of them, so that programs linked against kmod's library find every node they
# need), each listing only the functions ModKit.Native really exports (the kmod_* names in the exports
# file NativeAOT's compiler wrote, and the NAMEs of functions written in C, src/ModKit.Native/shim.c).
# An export that the release does not have is an error.
# Usage: libkmod-version-script.sh 30|34 SYMBOLS-FILE ILC-EXPORTS-FILE OUTPUT [NAME...]
set -euo pipefail
compat=$1 symbols=$2 exports=$3 out=$4
shift 4
case "$compat" in
    30) column=2 nodes="LIBKMOD_5 LIBKMOD_6 LIBKMOD_22" ;;
    34) column=3 nodes="LIBKMOD_5 LIBKMOD_6 LIBKMOD_22 LIBKMOD_30 LIBKMOD_33" ;;
    *) echo "libkmod-version-script.sh: unknown kmod release '$compat'" >&2; exit 1 ;;
esac
exported=$({ grep -o '\bkmod_[a-z0-9_]*' "$exports"; printf '%s\n' "$@"; } | sort -u)
awk -v column="$column" -v nodes="$nodes" -v exported="$exported" '
    BEGIN { n = split(exported, list, "\n"); for (i = 1; i <= n; i++) if (list[i] != "") want[list[i]] = 1 }
    /^#/ || NF == 0 { next }
    { node[$1] = $column }
    END {
        for (name in want) {
            if (!(name in node) || node[name] == "-") {
                print "libkmod-version-script.sh: " name " is not part of this kmod release" > "/dev/stderr"
                failed = 1
            }
        }
        if (failed) exit 1
        count = split(nodes, order, " ")
        for (i = 1; i <= count; i++) {
            printf "%s {\n", order[i]
            first = 1
            for (name in want) {
                if (node[name] == order[i]) {
                    if (first) { print "global:"; first = 0 }
                    printf "\t%s;\n", name
                }
            }
            if (i == 1) print "local:\n\t*;"
            printf "}%s;\n", i == 1 ? "" : " " order[i - 1]
        }
    }' "$symbols" > "$out.tmp"
mv "$out.tmp" "$out"
