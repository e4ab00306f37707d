#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: installs what the tests need (kmod 30 as the
# oracle, compressors, a C compiler for the glibc harnesses, NativeAOT's toolchain), fetches the
# Debian kernel package into the cache, builds the binary and runs every test.
# The last line is "N passed, N failed" (", N skipped" when any were skipped).
set -uo pipefail
cd "$(dirname "$0")/.."

packages=(kmod libkmod-dev xz-utils zstd gzip gcc libc6-dev clang binutils zlib1g-dev liblzma-dev libzstd-dev libssl-dev cmake make dpkg-dev hyperfine scdoc man-db zsh fish lintian openssl strace time)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
    echo "test.sh: installing ${missing[*]}" >&2
    apt-get update -qq >&2 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || {
        echo "test.sh: apt-get install failed"; echo "0 passed, 1 failed"; exit 1; }
fi

MODKIT_KERNEL_DIR=$(scripts/fetch-kernel.sh) || { echo "test.sh: fetching the kernel package failed"; echo "0 passed, 1 failed"; exit 1; }
export MODKIT_KERNEL_DIR
# Debian 13: kmod 34.2 (run through trixie's loader) and the 6.12 kernel's modules, the 34 profile's oracle and tree.
scripts/fetch-kmod34.sh >/dev/null || { echo "test.sh: fetching trixie's kmod failed"; echo "0 passed, 1 failed"; exit 1; }
# dracut-install from Debian 12's dracut-core and Debian 13's dracut-install, extracted only (installing dracut-core
# would bring systemd and udev): a real libkmod client for tests/ModKit.Tests/Native/DracutInstallTests.
scripts/fetch-dracut-install.sh >/dev/null || { echo "test.sh: fetching dracut-install failed"; echo "0 passed, 1 failed"; exit 1; }
MODKIT_TRIXIE_KERNEL_DIR=$(scripts/fetch-kernel.sh trixie) || { echo "test.sh: fetching Debian 13's kernel package failed"; echo "0 passed, 1 failed"; exit 1; }
export MODKIT_TRIXIE_KERNEL_DIR
MODKIT_BIN=$(./build.sh) || { echo "test.sh: build.sh failed"; echo "0 passed, 1 failed"; exit 1; }
export MODKIT_BIN=$PWD/$MODKIT_BIN
# build.sh also made libkmod.so.2 (src/ModKit.Native), compared with Debian's libkmod by tests/ModKit.Tests/Native.
export MODKIT_LIBKMOD=$PWD/artifacts/lib/libkmod.so.2

# Style is part of the build: .editorconfig checked by dotnet format, counted as one test.
format_passed=1; format_failed=0
if ! dotnet format ModKit.slnx --verify-no-changes >/tmp/modkit-format.log 2>&1; then
    echo "test.sh: dotnet format --verify-no-changes found changes:"; head -20 /tmp/modkit-format.log
    format_passed=0; format_failed=1
fi

results=$(mktemp -d)
dotnet test ModKit.slnx -c Release --nologo --logger "trx;LogFileName=results.trx" --results-directory "$results" \
    -- RunConfiguration.TreatNoTestsAsError=true 2>&1 | tee "$results/console.log" | grep -vE '^\s*$' | grep -E 'error|Failed|Passed!|Failed!|Skipped|DIFF' | head -200
status=${PIPESTATUS[0]}

trx=$(find "$results" -name '*.trx' | head -1)
if [ -z "$trx" ]; then
    echo "test.sh: no test results (build failure?)"; tail -30 "$results/console.log"
    echo "0 passed, 1 failed"; exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
passed=$(get passed); failed=$(get failed); total=$(get total); executed=$(get executed)
skipped=$(( ${total:-0} - ${executed:-0} ))
[ "$status" -eq 0 ] || [ "${failed:-0}" -gt 0 ] || failed=$(( ${failed:-0} + 1 ))
passed=$(( ${passed:-0} + format_passed )); failed=$(( ${failed:-0} + format_failed ))
line="${passed:-0} passed, ${failed:-0} failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "${failed:-0}" -eq 0 ]
