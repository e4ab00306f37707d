#!/usr/bin/env bash
# ModKit's modinfo against kmod's (30 by default, or 34.2: see bench/lib.sh), side by side in rounds of
# hyperfine runs (whole processes, start-up included), on the modules of Debian's kernel package. Prints
# each case's median time and the ratio ModKit/kmod (below 1.0 means ModKit is faster).
#   bench/modinfo.sh [--runs N] [--kmod 30|34]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=10

. bench/lib.sh
bench_args "$@"
bench_setup modinfo

# One process over the whole tree. A command line of 4000 full paths is longer than the kernel lets
# one argument be (hyperfine -N takes the command as one string), so each module is reached through
# a short link in a scratch directory: both tools read the same files through the same links.
for kind in "${kinds[@]}"; do
    links=$work/$kind
    mkdir -p "$links"
    n=0
    while IFS= read -r f; do
        ext=${f#*.ko}
        ln -s "$f" "$links/$n.ko$ext"
        n=$((n + 1))
    done < <(find "$tree/$kind/lib/modules/$release/kernel" -name '*.ko*' | sort)
    files=$(cd "$links" && ls | sort -n | tr '\n' ' ')
    (cd "$links" && run_case "modinfo, all $n modules ($kind), 1 process" $files)
done
run_case "modinfo -b ROOT -k VER ext4 (by name)" -b "$tree/plain" -k "$release" ext4
run_case "modinfo -b ROOT -k VER pci:v00008086d... (alias)" -b "$tree/plain" -k "$release" "pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00"
