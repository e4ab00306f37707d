#!/usr/bin/env bash
# ModKit's depmod against kmod 30's, side by side (hyperfine, whole processes), on Debian's module tree in
# its three forms. Each root links the cached kernel/ directory and copies depmod's inputs, so both tools
# write their files into a scratch directory. Prints mean wall times, peak RSS (GNU time) and the ratios
# ModKit/kmod (below 1.0 means ModKit is faster or smaller).
#   bench/depmod.sh [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
[ "${1:-}" = "--runs" ] && runs=$2

. bench/lib.sh
bench_setup depmod
[ -x /usr/bin/time ] || { apt-get install -y -qq time >/dev/null; }

peak_kb() { # <command...> -> max RSS in KiB
    /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1
}

for kind in plain xz zst; do
    root=$work/$kind
    dir=$root/lib/modules/$release
    mkdir -p "$dir"
    ln -s "$tree/$kind/lib/modules/$release/kernel" "$dir/kernel"
    cp "$tree/$kind/lib/modules/$release"/modules.{order,builtin,builtin.modinfo} "$dir/"
    json=$work/$kind.json
    hyperfine -N --warmup 1 --runs "$runs" --export-json "$json" \
        -n modkit "$work/modkit/depmod -b $root $release" -n kmod "$work/depmod -b $root $release" >/dev/null
    read -r k m r < <(ratio "$json")
    km=$(peak_kb "$work/depmod" -b "$root" "$release")
    mm=$(peak_kb "$work/modkit/depmod" -b "$root" "$release")
    printf '%-6s time: kmod %6s ms  modkit %6s ms  ratio %s   peak RSS: kmod %6s KiB  modkit %6s KiB  ratio %.2f\n' \
        "$kind" "$k" "$m" "$r" "$km" "$mm" "$(echo "$mm / $km" | bc -l)"
done
