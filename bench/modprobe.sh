#!/usr/bin/env bash
# ModKit's modprobe against kmod 30's, side by side in one hyperfine run per case (whole processes,
# start-up included), on the module tree of Debian's kernel package. Prints each case's mean times
# and the ratio ModKit/kmod (below 1.0 means ModKit is faster).
#   bench/modprobe.sh [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=30
[ "${1:-}" = "--runs" ] && runs=$2

command -v hyperfine >/dev/null || { apt-get install -y -qq hyperfine >/dev/null; }
kmod=$(command -v kmod || echo /bin/kmod)
tree=$(scripts/fetch-kernel.sh)
release=$(basename "$tree")
bin=$PWD/$(./build.sh)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ln -s "$kmod" "$work/modprobe"           # kmod acts as the tool named by argv[0]
mkdir -p "$work/modkit" && ln -s "$bin" "$work/modkit/modprobe"
config=$PWD/tests/ModKit.Tests/TestData/modprobe.d
[ -d "$config" ] || config=/dev/null

ratio() { # <json> -> "kmod_mean modkit_mean ratio"
    awk -F: '/"mean"/ { gsub(/[ ,]/, "", $2); m[n++] = $2 } END { printf "%.1f %.1f %.2f\n", m[1] * 1000, m[0] * 1000, m[0] / m[1] }' "$1"
}

run_case() { # <label> <args...>
    local label=$1; shift
    local json=$work/result.json
    hyperfine -N --warmup 3 --runs "$runs" --export-json "$json" \
        -n modkit "$work/modkit/modprobe $*" -n kmod "$work/modprobe $*" >/dev/null
    read -r k m r < <(ratio "$json")
    printf '%-52s kmod %8s ms   modkit %8s ms   ratio %s\n' "$label" "$k" "$m" "$r"
}

for kind in plain xz; do
    root=$tree/$kind
    run_case "modprobe -D ext4 ($kind)" -d "$root" -S "$release" -D ext4
done
root=$tree/plain
run_case "modprobe -D btrfs (7 dependencies)" -d "$root" -S "$release" -D btrfs
run_case "modprobe -D <pci alias> (e1000e)" -d "$root" -S "$release" -D "pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00"
run_case "modprobe -R symbol:jbd2_journal_start" -d "$root" -S "$release" -R symbol:jbd2_journal_start
run_case "modprobe -D -C <test modprobe.d> snd_hda_intel" -d "$root" -S "$release" -C "$config" -D snd_hda_intel
