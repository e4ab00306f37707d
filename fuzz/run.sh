#!/usr/bin/env bash
# Usage: fuzz/run.sh TARGET [EXECS]
# One coverage-guided campaign: afl-fuzz (Debian's afl++) drives fuzz/ModKit.Fuzz over the SharpFuzz-instrumented
# ModKit.dll for TARGET (see fuzz/ModKit.Fuzz/FuzzTargets.cs; `fuzz/run.sh list` names them) until about EXECS
# executions (default 1,000,000), then prints executions, exec/s, corpus paths, afl's edge coverage, crashes and hangs.
# Installs afl++ and the SharpFuzz.CommandLine tool when missing; seeds come from fuzz/make-seeds.sh (real trees).
# The harness runs under a 256 MiB GC heap hard limit, so an allocation the input controls fails as a crash.
# Every crashing or hanging input is copied into tests/ModKit.Tests/Fuzz/Regressions/TARGET/ (replayed by the suite).
# Env: MODKIT_FUZZ_TIMEOUT (ms per execution, default 2000), MODKIT_FUZZ_OUT (findings folder), MODKIT_FUZZ_FRESH=1
# (rebuild seeds).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
targets="elf-modinfo elf-depmod decompress signature verify index modprobe-conf depmod-conf cmdline modname"
target=${1:-}
if [ "$target" = list ]; then echo "$targets"; exit 0; fi
if [ -z "$target" ] || ! [[ " $targets " == *" $target "* ]]; then
    echo "usage: fuzz/run.sh TARGET [EXECS]; targets: $targets" >&2; exit 2
fi
execs=${2:-1000000}
cache=${MODKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modkit}/fuzz
mkdir -p "$cache"

if ! command -v afl-fuzz >/dev/null; then
    apt-get update -qq >&2 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends afl++ >&2
fi
sharpfuzz=$cache/tools/sharpfuzz
if [ ! -x "$sharpfuzz" ]; then
    dotnet tool install --tool-path "$cache/tools" SharpFuzz.CommandLine --version 2.3.0 >&2
fi

# A fresh output folder each time: sharpfuzz instruments ModKit.dll in place, once.
bin=$cache/bin
rm -rf "$bin"
dotnet build fuzz/ModKit.Fuzz -c Release --nologo -v q -o "$bin" >&2
"$sharpfuzz" "$bin/ModKit.dll" >&2
# An uninstrumented copy replays failing inputs (instrumented code outside afl-fuzz has no trace map to write).
replay=$cache/replay
dotnet build fuzz/ModKit.Fuzz -c Release --nologo -v q -o "$replay" >&2

seeds=$cache/seeds
if [ "${MODKIT_FUZZ_FRESH:-0}" = 1 ] || [ ! -d "$seeds/$target" ]; then
    fuzz/make-seeds.sh "$seeds"
fi
# afl refuses empty seed files; it wants at least one.
find "$seeds/$target" -type f -empty -delete

out=${MODKIT_FUZZ_OUT:-$cache/out}/$target
rm -rf "$out"; mkdir -p "$out"
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
export AFL_FORKSRV_INIT_TMOUT=60000 AFL_SHUFFLE_QUEUE=0
export DOTNET_GCHeapHardLimit=0x10000000 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
start=$(date +%s)
nice -n 10 afl-fuzz -i "$seeds/$target" -o "$out" -t "${MODKIT_FUZZ_TIMEOUT:-2000}" -m none -E "$execs" \
    -- "$bin/ModKit.Fuzz" "$target" > "$out/afl.log" 2>&1 || { tail -30 "$out/afl.log" >&2; exit 1; }
elapsed=$(( $(date +%s) - start ))
# The harness's scratch files (ScratchFile: one folder per fuzzed process).
rm -rf /dev/shm/modkit-fuzz-*

stats=$out/default/fuzzer_stats
get() { awk -F' *: *' -v k="$1" '$1 == k {print $2}' "$stats"; }
execs_done=$(get execs_done)
crashes=$(find "$out/default/crashes" -type f -name 'id:*' | wc -l)
hangs=$(find "$out/default/hangs" -type f -name 'id:*' | wc -l)
echo "target:     $target ($(date -u +%Y-%m-%d))"
echo "executions: $execs_done in ${elapsed}s ($(( execs_done / (elapsed > 0 ? elapsed : 1) )) exec/s overall, afl's last: $(get execs_per_sec))"
echo "paths:      $(get corpus_count) (from $(find "$seeds/$target" -type f | wc -l) seeds)"
echo "coverage:   $(get bitmap_cvg) of afl's map, $(get edges_found) edges"
echo "crashes:    $crashes"
echo "hangs:      $hangs"

# Keep every failing input as a regression case, and show what it throws.
if [ $((crashes + hangs)) -gt 0 ]; then
    dest=$repo/tests/ModKit.Tests/Fuzz/Regressions/$target
    mkdir -p "$dest"
    for f in "$out"/default/crashes/id:* "$out"/default/hangs/id:*; do
        [ -f "$f" ] || continue
        cp "$f" "$dest/$(sha1sum "$f" | cut -c1-16)"
    done
    echo "failing inputs copied to ${dest#"$repo"/}; replay:" >&2
    timeout 120 "$replay/ModKit.Fuzz" "$target" --replay "$dest"/* | grep -A12 FAILED | head -60 >&2 || true
    exit 1
fi
