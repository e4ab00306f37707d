# Shared set-up of the bench scripts: sourced, not run. After `bench_setup TOOL`:
#   $kmod, $tree (the cached Debian kernel), $release, $bin (modkit), $work (scratch, removed on exit),
#   $work/TOOL -> kmod and $work/modkit/TOOL -> modkit (each acts as the tool named by argv[0]).
# `run_case LABEL ARGS...` runs both through hyperfine -N and prints the means and ModKit/kmod.
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

run_case() { # <label> <args...>
    local label=$1; shift
    local json=$work/result.json
    hyperfine -N --warmup "${warmup:-2}" --runs "$runs" --export-json "$json" \
        -n modkit "$work/modkit/$bench_tool $*" -n kmod "$work/$bench_tool $*" >/dev/null
    read -r k m r < <(ratio "$json")
    printf '%-52s kmod %8s ms   modkit %8s ms   ratio %s\n' "$label" "$k" "$m" "$r"
}
