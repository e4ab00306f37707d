#!/usr/bin/env bash
# libkmod's calls inside one process (bench/libkmod-bench.c, clock_gettime), on Debian's libkmod.so.2 and
# on ModKit's (artifacts/lib, built by build.sh): a context with its indexes (the first one in the process,
# where ModKit's runtime starts, and another), lookups by name and by alias with the module's path,
# dependency walks, dry-run probes. Rounds in alternating order; prints the median of the rounds per phase
# (nanoseconds per call) and ModKit/Debian (below 1.0 means ModKit is faster).
#   bench/libkmod.sh [--rounds N] [--kmod 30|34]
#   30: Debian 12's libkmod 30 on Debian 12's tree, ModKit run as MODKIT_KMOD=30 (default)
#   34: Debian 13's libkmod 34.2 through trixie's loader (scripts/fetch-kmod34.sh) on Debian 13's xz tree,
#       ModKit run as MODKIT_KMOD=34 through the same loader
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=7 kmod=30
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds=$2; shift 2 ;;
        --kmod) kmod=$2; shift 2 ;;
        *) echo "usage: bench/libkmod.sh [--rounds N] [--kmod 30|34]" >&2; exit 2 ;;
    esac
done
[ -f artifacts/lib/libkmod.so.2 ] || ./build.sh >/dev/null
ours=$PWD/artifacts/lib
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -Wall -Werror -o "$work/bench" bench/libkmod-bench.c -lkmod

if [ "$kmod" = 34 ]; then
    tree=$(scripts/fetch-kernel.sh trixie) kind=xz
    wrapper=$(scripts/fetch-kmod34.sh)/kmod
    # "exec LOADER --library-path LIBS --argv0 kmod KMOD": the loader and trixie's libraries
    read -r _ loader _ libs _ < <(grep '^exec ' "$wrapper")
    debian() { "$loader" --library-path "$libs" "$work/bench" "$@"; }
    modkit() { MODKIT_KMOD=34 "$loader" --library-path "$ours:$libs" "$work/bench" "$@"; }
else
    tree=$(scripts/fetch-kernel.sh) kind=plain
    debian() { "$work/bench" "$@"; }
    modkit() { MODKIT_KMOD=30 LD_LIBRARY_PATH=$ours "$work/bench" "$@"; }
fi
dir=$(echo "$tree/$kind"/lib/modules/*)
cut -d: -f1 "$dir/modules.dep" | sed 's|.*/||; s|\.ko.*||' >"$work/names"
awk '$2 !~ /[*?[]/ {print $2}' "$dir/modules.alias" >"$work/aliases"

for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) = 1 ]; then order="modkit debian"; else order="debian modkit"; fi
    for lib in $order; do
        "$lib" "$dir" "$work/names" "$work/aliases" | sed "s/^/$lib /" >>"$work/results"
    done
done

echo "libkmod $kmod, $(wc -l <"$work/names") names, $(wc -l <"$work/aliases") aliases, $rounds rounds (ns per call, medians)"
printf '%-14s %12s %12s %8s\n' phase Debian ModKit ratio
for phase in first-context context name alias dependencies probe; do
    median() { awk -v l="$1" -v p="$phase" '$1 == l && $2 == p {print $4}' "$work/results" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
    d=$(median debian) m=$(median modkit)
    printf '%-14s %12s %12s %8.2f\n' "$phase" "$d" "$m" "$(echo "$m / $d" | bc -l)"
done
