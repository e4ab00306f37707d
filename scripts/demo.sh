#!/usr/bin/env bash
# The main job for now: ModKit's modinfo on real modules of Debian's current kernel package
# (downloaded into the cache by fetch-kernel.sh), by file, compressed, by name and by alias.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x artifacts/bin/modkit ] || ./build.sh >/dev/null
tree=$(scripts/fetch-kernel.sh)
release=$(basename "$tree")
mods=$tree/plain/lib/modules/$release
run() { echo "\$ modinfo $*" | sed "s#$tree#\$TREE#g"; artifacts/bin/modinfo "$@"; echo; }

run "$mods/kernel/fs/ext4/ext4.ko"
run -F description -F vermagic "$tree/xz/lib/modules/$release/kernel/fs/ext4/ext4.ko.xz"
run -p "$tree/zst/lib/modules/$release/kernel/drivers/net/ethernet/intel/e1000e/e1000e.ko.zst"
run -b "$tree/plain" -k "$release" -F filename ext4 e1000e
run -b "$tree/plain" -k "$release" -n 'pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00'
run -b "$tree/plain" -k "$release" unix
