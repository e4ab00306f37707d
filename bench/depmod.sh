#!/usr/bin/env bash
# ModKit's depmod against kmod's (30 by default, or 34.2: see bench/lib.sh), side by side (hyperfine, whole
# processes, rounds of alternating order), on Debian's module tree in each of its forms. Each root links
# the cached kernel/ directory and copies depmod's inputs, so both tools write their files into a scratch
# directory. Prints median wall times, peak RSS (GNU time, one run each) and the ratios ModKit/kmod
# (below 1.0 means ModKit is faster or smaller).
#   bench/depmod.sh [--runs N] [--kmod 30|34]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
warmup=1

. bench/lib.sh
bench_args "$@"
bench_setup depmod
[ -x /usr/bin/time ] || { apt-get install -y -qq time >/dev/null; }

peak_kb() { # <command...> -> max RSS in KiB
    /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1
}

for kind in "${kinds[@]}"; do
    root=$work/$kind
    dir=$root/lib/modules/$release
    mkdir -p "$dir"
    ln -s "$tree/$kind/lib/modules/$release/kernel" "$dir/kernel"
    cp "$tree/$kind/lib/modules/$release"/modules.{order,builtin,builtin.modinfo} "$dir/"
    run_case "depmod -b ROOT VER ($kind)" -b "$root" "$release"
    km=$(peak_kb "$work/depmod" -b "$root" "$release")
    mm=$(peak_kb "$work/modkit/depmod" -b "$root" "$release")
    printf '%-52s kmod %8s KiB  modkit %8s KiB  ratio %.2f\n' \
        "  peak RSS ($kind)" "$km" "$mm" "$(echo "$mm / $km" | bc -l)"
done
