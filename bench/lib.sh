# Shared set-up of the bench scripts: sourced, not run. After `bench_setup TOOL`:
#   $kmod, $tree (the cached Debian kernel), $release, $bin (modkit), $work (scratch, removed on exit),
#   $work/TOOL -> kmod and $work/modkit/TOOL -> modkit (each acts as the tool named by argv[0]).
# `run_case LABEL ARGS...` runs both through hyperfine -N, in rounds of alternating order, and prints
# the medians of the rounds' means and ModKit/kmod.
bench_setup() { # <tool>
    command -v hyperfine >/dev/null || { apt-get install -y -qq hyperfine >/dev/null; }
    kmod=$(command -v kmod || echo /bin/kmod)
    tree=$(scripts/fetch-kernel.sh)
    release=$(basename "$tree")
    bin=$PWD/$(./build.sh)
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    bench_tool=$1
    ln -s "$kmod" "$work/$1"
    mkdir -p "$work/modkit" && ln -s "$bin" "$work/modkit/$1"
}

ratio() { # <hyperfine json, modkit first> -> "kmod_mean modkit_mean ratio" (ms)
    awk -F: '/"mean"/ { gsub(/[ ,]/, "", $2); m[n++] = $2 } END { printf "%.1f %.1f %.2f\n", m[1] * 1000, m[0] * 1000, m[0] / m[1] }' "$1"
}

mean_of() { # <hyperfine json> <command name> -> its mean in seconds
    awk -v name="\"$2\"" '/"command":/ { c = $2; sub(/,$/, "", c) } /"mean":/ && c == name { m = $2; sub(/,$/, "", m); print m; exit }' "$1"
}

median() { # numbers on stdin -> their median
    sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# `run_case LABEL ARGS...`: $rounds hyperfine runs of both tools ($runs runs each, $warmup warm-ups),
# modkit first in odd rounds and kmod first in even ones, so that neither always runs right after the
# build or in the other's wake; prints the medians of the rounds' means and their ratio.
run_case() { # <label> <args...>
    local label=$1; shift
    local json=$work/result.json round k m
    local -a order
    : > "$work/kmod.means"; : > "$work/modkit.means"
    for ((round = 1; round <= ${rounds:-2}; round++)); do
        order=(-n modkit "$work/modkit/$bench_tool $*" -n kmod "$work/$bench_tool $*")
        ((round % 2)) || order=(-n kmod "$work/$bench_tool $*" -n modkit "$work/modkit/$bench_tool $*")
        hyperfine -N --warmup "${warmup:-2}" --runs "$runs" --export-json "$json" "${order[@]}" >/dev/null
        mean_of "$json" kmod >> "$work/kmod.means"
        mean_of "$json" modkit >> "$work/modkit.means"
    done
    k=$(median < "$work/kmod.means"); m=$(median < "$work/modkit.means")
    awk -v label="$label" -v k="$k" -v m="$m" 'BEGIN { printf "%-52s kmod %8.1f ms   modkit %8.1f ms   ratio %.2f\n", label, k * 1000, m * 1000, m / k }'
}
