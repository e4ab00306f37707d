#!/usr/bin/env bash
# ModKit's modprobe against kmod's (30 by default, or 34.2: see bench/lib.sh), side by side in rounds of
# hyperfine runs (whole processes, start-up included), on the module tree of Debian's kernel package.
# Prints each case's median time and the ratio ModKit/kmod (below 1.0 means ModKit is faster); with
# --kmod 34, first what other ways of starting kmod 34.2 would add (oracle_overhead).
#   bench/modprobe.sh [--runs N] [--kmod 30|34]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=20
rounds=${rounds:-6}

. bench/lib.sh
bench_args "$@"
bench_setup modprobe
[ "$oracle" = 34 ] && oracle_overhead
config=$PWD/tests/ModKit.Tests/TestData/modprobe.d
[ -d "$config" ] || config=/dev/null
warmup=3

for kind in plain xz; do
    root=$tree/$kind
    run_case "modprobe -D ext4 ($kind)" -d "$root" -S "$release" -D ext4
done
root=$tree/plain
run_case "modprobe -D btrfs (7 dependencies)" -d "$root" -S "$release" -D btrfs
run_case "modprobe -D <pci alias> (e1000e)" -d "$root" -S "$release" -D "pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00"
run_case "modprobe -R symbol:jbd2_journal_start" -d "$root" -S "$release" -R symbol:jbd2_journal_start
run_case "modprobe -R <pci alias> (e1000e)" -d "$root" -S "$release" -R "pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00"
run_case "modprobe -c -C <test modprobe.d> (config and indexes)" -d "$root" -S "$release" -C "$config" -c
run_case "modprobe -D -C <test modprobe.d> snd_hda_intel" -d "$root" -S "$release" -C "$config" -D snd_hda_intel

# A batch: one process plans 1000 modules by name (the start-up is paid once).
names=$(awk -F: 'NR <= 1000 { n = split($1, p, "/"); sub(/\.ko.*/, "", p[n]); printf "%s ", p[n] }' "$root/lib/modules/$release/modules.dep")
run_case "modprobe -a -D <1000 module names>, 1 process" -d "$root" -S "$release" -a -D $names
