#!/usr/bin/env bash
# depmod over 10,000, 50,000 and 100,000 synthetic modules (too long for the ordinary suite, which runs 2,000 and
# 10,000): tests/ModKit.Tests/Faults/ManyModulesTests with MODKIT_MANY_MODULES set, which builds each tree,
# runs kmod 30's and kmod 34.2's depmod and ModKit's (both profiles) on it under GNU time, compares the files
# byte for byte where kmod indexes the tree, the refusal where it does not, and checks ModKit's peak RSS against
# its bound. Prints one line a run: module count, profile, exit status, peak RSS and wall time of each.
#   tests/faults/many-modules.sh [COUNTS]        COUNTS: comma-separated, default 10000,50000,100000
# Needs MODKIT_BIN (./build.sh) and the kernel trees of scripts/test.sh; about 3 GB under /tmp at 100,000.
set -euo pipefail
cd "$(dirname "$0")/../.."
counts=${1:-10000,50000,100000}
[ -x /usr/bin/time ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends time >/dev/null
export MODKIT_BIN=${MODKIT_BIN:-$PWD/artifacts/bin/modkit}
export MODKIT_LIBKMOD=${MODKIT_LIBKMOD:-$PWD/artifacts/lib/libkmod.so.2}
export MODKIT_KERNEL_DIR=${MODKIT_KERNEL_DIR:-$(scripts/fetch-kernel.sh)}
export MODKIT_TRIXIE_KERNEL_DIR=${MODKIT_TRIXIE_KERNEL_DIR:-$(scripts/fetch-kernel.sh trixie)}
report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
MODKIT_MANY_MODULES=$counts MODKIT_MANY_MODULES_REPORT=$report \
    dotnet test tests/ModKit.Tests -c Release --nologo --filter "FullyQualifiedName~ManyModulesTests" >"$report.log" 2>&1 || status=$?
cat "$report"
if [ "$status" -ne 0 ]; then grep -A8 -E '^\s+(Failed|Error Message)' "$report.log" | head -40; fi
grep -E 'Passed!|Failed!' "$report.log" || true
rm -f "$report.log"
exit "$status"
