#!/usr/bin/env bash
# Regenerates src/ModKit.Cli/startup.order: the managed methods a short run executes, in the order it
# first reaches them. build.sh hands the file to the NativeAOT compiler (IlcOrderFile), which lays those
# methods out first and together, so a short run faults in a few code pages instead of pages all over the
# 4 MB binary. Methods missing from the file (new code) are only placed later: a stale file costs speed,
# never correctness. Run it after larger changes to the start-up path:
#   scripts/startup-order.sh
# It samples with perf (installed when missing) over short runs of the tools on Debian's kernel tree.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v perf >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null
tree=$(scripts/fetch-kernel.sh)
release=$(basename "$tree")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# An unstripped build without the current order, so the symbols are there and the order is not circular.
dotnet publish src/ModKit.Cli/ModKit.Cli.csproj -c Release -r linux-x64 --nologo -v quiet \
    -p:StripSymbols=false -p:IlcOrderFile= -o "$work/bin" >&2
for tool in modprobe modinfo insmod rmmod lsmod; do
    ln -s "$work/bin/ModKit.Cli" "$work/$tool"
done

root=$tree/plain
cat > "$work/runs.sh" <<EOF
for i in \$(seq 40); do
    "$work/modprobe" -V
    "$work/modprobe" -d "$root" -S "$release" -D ext4
    "$work/modprobe" -d "$root" -S "$release" -D pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00
    "$work/modprobe" -d "$root" -S "$release" -R symbol:jbd2_journal_start
    "$work/modprobe" -d "$root" -S "$release" -n -v btrfs
    "$work/modprobe" -d "$root" -S "$release" -C "$PWD/tests/ModKit.Tests/TestData/modprobe.d" -D snd_hda_intel
    "$work/modinfo" -b "$root" -k "$release" ext4
    "$work/modinfo" -b "$root" -k "$release" pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00
    "$work/modinfo" -V
    "$work/insmod" /nonexistent.ko
    "$work/rmmod" nonexistent
    "$work/lsmod"
done >/dev/null 2>&1
true
EOF
perf record -q -F 49999 -o "$work/perf.data" -- sh "$work/runs.sh" >/dev/null 2>&1

# Every symbol of the binary in first-seen order; the compiler places the managed methods among them
# and ignores the rest (the C++ runtime is linked as it is).
perf script -i "$work/perf.data" -F ip,sym,dso 2>/dev/null \
    | awk -v bin="($work/bin/ModKit.Cli)" '$NF == bin && NF == 3 && $2 != "[unknown]" && $2 !~ /::|[(]/ { print $2 }' \
    | sed 's/+0x[0-9a-f]*$//' | awk '!seen[$0]++' > src/ModKit.Cli/startup.order
echo "src/ModKit.Cli/startup.order: $(wc -l < src/ModKit.Cli/startup.order) methods" >&2
