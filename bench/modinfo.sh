#!/usr/bin/env bash
# ModKit's modinfo against kmod 30's, side by side in one hyperfine run per case (whole processes,
# start-up included), on the modules of Debian's kernel package. Prints each case's mean times and
# the ratio ModKit/kmod (below 1.0 means ModKit is faster).
#   bench/modinfo.sh [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=10
[ "${1:-}" = "--runs" ] && runs=$2

command -v hyperfine >/dev/null || { apt-get install -y -qq hyperfine >/dev/null; }
kmod=$(command -v kmod || echo /bin/kmod)
tree=$(scripts/fetch-kernel.sh)
release=$(basename "$tree")
bin=$PWD/$(./build.sh)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ln -s "$kmod" "$work/modinfo"           # kmod acts as the tool named by argv[0]
mkdir -p "$work/modkit" && ln -s "$bin" "$work/modkit/modinfo"

ratio() { # <json> -> "kmod_mean modkit_mean ratio"
    awk -F: '/"mean"/ { gsub(/[ ,]/, "", $2); m[n++] = $2 } END { printf "%.1f %.1f %.2f\n", m[1] * 1000, m[0] * 1000, m[0] / m[1] }' "$1"
}

run_case() { # <label> <args...>
    local label=$1; shift
    local json=$work/result.json
    hyperfine -N --warmup 2 --runs "$runs" --export-json "$json" \
        -n modkit "$work/modkit/modinfo $*" -n kmod "$work/modinfo $*" >/dev/null
    read -r k m r < <(ratio "$json")
    printf '%-48s kmod %8s ms   modkit %8s ms   ratio %s\n' "$label" "$k" "$m" "$r"
}

# One process over the whole tree. A command line of 4000 full paths is longer than the kernel lets
# one argument be (hyperfine -N takes the command as one string), so each module is reached through
# a short link in a scratch directory: both tools read the same files through the same links.
for kind in plain xz zst; do
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
