# Shared set-up of the bench scripts: sourced, not run. `bench_args "$@"` reads the options every
# script takes:
#   --runs N        hyperfine runs per tool and round (each script has its own default)
#   --kmod 30|34    the oracle: 30 (default) = the installed kmod 30 on Debian 12's tree (plain, xz, zst),
#                   ModKit run as MODKIT_KMOD=30; 34 = Debian 13's kmod 34.2 (scripts/fetch-kmod34.sh) on
#                   Debian 13's tree (the shipped .ko.xz and plain), ModKit run as MODKIT_KMOD=34.
# After `bench_setup TOOL`:
#   $kmod (the oracle's kmod executable), $tree (the cached Debian kernel), $release, $kinds (its module
#   trees: plain xz [zst]), $bin (modkit), $work (scratch, removed on exit),
#   $work/TOOL -> kmod and $work/modkit/TOOL -> modkit (each acts as the tool named by argv[0]).
# kmod 34.2 needs trixie's C library, newer than this machine's. scripts/fetch-kmod34.sh's wrappers
# start it through a shell and trixie's loader (`ld-linux --library-path ... --argv0 TOOL kmod`); here it
# is a copy of trixie's kmod whose ELF interpreter and RPATH name trixie's loader and libraries
# (patchelf), so the kernel execs it as it would on Debian 13 and no shell or explicit loader
# invocation is timed. `oracle_overhead` measures what the other ways would add.
# `run_case LABEL ARGS...` runs both through hyperfine -N, in rounds of alternating order, and prints
# the medians of the rounds' means and ModKit/kmod.
bench_args() { # <script arguments...>
    oracle=30
    while [ $# -gt 0 ]; do
        case $1 in
            --runs) runs=$2; shift 2 ;;
            --kmod) oracle=$2; shift 2 ;;
            *) echo "usage: $0 [--runs N] [--kmod 30|34]" >&2; exit 2 ;;
        esac
    done
    case $oracle in 30 | 34) ;; *) echo "$0: --kmod takes 30 or 34" >&2; exit 2 ;; esac
}

kmod34_root=${MODKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modkit}/trixie/kmod/root
kmod34_libs=$kmod34_root/usr/lib/x86_64-linux-gnu

bench_setup() { # <tool>
    command -v hyperfine >/dev/null || { apt-get install -y -qq hyperfine >/dev/null; }
    bin=$PWD/$(./build.sh)
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    export MODKIT_KMOD=${oracle:-30}
    if [ "$MODKIT_KMOD" = 34 ]; then
        scripts/fetch-kmod34.sh >/dev/null
        command -v patchelf >/dev/null || { apt-get install -y -qq patchelf >/dev/null; }
        kmod=$work/kmod34
        cp "$kmod34_root/usr/bin/kmod" "$kmod"
        patchelf --set-interpreter "$kmod34_libs/ld-linux-x86-64.so.2" --force-rpath --set-rpath "$kmod34_libs" "$kmod"
        tree=$(scripts/fetch-kernel.sh trixie)
        kinds=(plain xz)
    else
        kmod=$(command -v kmod || echo /bin/kmod)
        tree=$(scripts/fetch-kernel.sh)
        kinds=(plain xz zst)
    fi
    release=$(basename "$tree")
    bench_tool=$1
    ln -s "$kmod" "$work/$1"
    mkdir -p "$work/modkit" && ln -s "$bin" "$work/modkit/$1"
    echo "# oracle: $("$work/$1" -V | head -1) on $release; ModKit as MODKIT_KMOD=$MODKIT_KMOD; $(date -u '+%F %H:%M UTC'); load:$(uptime | sed 's/.*load average://')"
}

# What starting kmod 34.2 another way would add, against the patched copy: `kmod -V` through trixie's
# loader invoked as a program (`ld-linux --library-path ... --argv0 kmod kmod`) and through the shell
# wrapper of scripts/fetch-kmod34.sh; kmod 30's and ModKit's `-V` beside them.
oracle_overhead() {
    local json=$work/overhead.json wrapper=$kmod34_root/../bin/kmod
    ln -sfn "$kmod" "$work/kmod"
    ln -sfn "$bin" "$work/modkit/kmod"
    hyperfine -N --warmup 3 --runs "${1:-30}" --export-json "$json" \
        -n patched "$work/kmod -V" \
        -n ld.so "$kmod34_libs/ld-linux-x86-64.so.2 --library-path $kmod34_libs --argv0 kmod $kmod34_root/usr/bin/kmod -V" \
        -n wrapper "$wrapper -V" \
        -n kmod30 "$(command -v kmod || echo /bin/kmod) -V" \
        -n modkit "$work/modkit/kmod -V" >/dev/null
    local base name
    base=$(mean_of "$json" patched)
    for name in patched ld.so wrapper kmod30 modkit; do
        awk -v n="$name" -v t="$(mean_of "$json" "$name")" -v b="$base" \
            'BEGIN { printf "kmod -V, %-8s %6.2f ms  (%+.2f ms against the patched kmod 34.2)\n", n, t * 1000, (t - b) * 1000 }'
    done
}

mean_of() { # <hyperfine json> <command name> [field] -> its mean wall time (or the field: user, system) in seconds
    awk -v name="\"$2\"" -v field="\"${3:-mean}\":" '/"command":/ { c = $2; sub(/,$/, "", c) } $1 == field && c == name { m = $2; sub(/,$/, "", m); print m; exit }' "$1"
}

cpu_of() { # <hyperfine json> <command name> -> its mean CPU time (user + system) in seconds
    awk -v u="$(mean_of "$1" "$2" user)" -v s="$(mean_of "$1" "$2" system)" 'BEGIN { print u + s }'
}

median() { # numbers on stdin -> their median
    sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# `run_case LABEL ARGS...`: $rounds hyperfine runs of both tools ($runs runs each, $warmup warm-ups),
# modkit first in odd rounds and kmod first in even ones, so that neither always runs right after the
# build or in the other's wake; prints the medians of the rounds' means and their ratio, then the same for
# CPU time (user + system), which a loaded machine disturbs far less than wall time.
run_case() { # <label> <args...>
    local label=$1; shift
    local json=$work/result.json round k m kc mc
    local -a order
    : > "$work/kmod.means"; : > "$work/modkit.means"; : > "$work/kmod.cpu"; : > "$work/modkit.cpu"
    for ((round = 1; round <= ${rounds:-2}; round++)); do
        order=(-n modkit "$work/modkit/$bench_tool $*" -n kmod "$work/$bench_tool $*")
        ((round % 2)) || order=(-n kmod "$work/$bench_tool $*" -n modkit "$work/modkit/$bench_tool $*")
        hyperfine -N --warmup "${warmup:-2}" --runs "$runs" --export-json "$json" "${order[@]}" >/dev/null
        mean_of "$json" kmod >> "$work/kmod.means"
        mean_of "$json" modkit >> "$work/modkit.means"
        cpu_of "$json" kmod >> "$work/kmod.cpu"
        cpu_of "$json" modkit >> "$work/modkit.cpu"
    done
    k=$(median < "$work/kmod.means"); m=$(median < "$work/modkit.means")
    kc=$(median < "$work/kmod.cpu"); mc=$(median < "$work/modkit.cpu")
    awk -v label="$label" -v k="$k" -v m="$m" -v kc="$kc" -v mc="$mc" 'BEGIN { printf "%-52s kmod %8.1f ms   modkit %8.1f ms   ratio %.2f   cpu: kmod %8.1f ms   modkit %8.1f ms   ratio %.2f\n", label, k * 1000, m * 1000, m / k, kc * 1000, mc * 1000, mc / kc }'
}
