#!/usr/bin/env bash
# Builds the NativeAOT multi-call binary artifacts/bin/modkit and the tool links beside it, and
# libkmod's ABI as a NativeAOT shared library, artifacts/lib/libkmod.so.2 (src/ModKit.Native).
# NativeAOT needs clang (or gcc) and binutils' objcopy; the binary is linked statically with the
# decompressors' archives (liblzma-dev, libzstd-dev, zlib1g-dev). Missing packages are installed.
# Extra arguments go to dotnet publish: ./build.sh -p:StaticExecutable=false links them dynamically.
# MODKIT_ARTIFACTS=DIR builds into DIR/bin and DIR/lib instead of artifacts/ (with its own intermediate
# folders, so that two profiles built side by side do not recompile each other: scripts/package.sh).
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v clang >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || need+=(clang)
for package in binutils zlib1g-dev liblzma-dev libzstd-dev; do
    dpkg -s "$package" >/dev/null 2>&1 || need+=("$package")
done
if [ ${#need[@]} -gt 0 ] && [ "$(id -u)" = 0 ]; then
    echo "build.sh: installing ${need[*]}" >&2
    [ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' 2>/dev/null | head -1)" ] || apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

art=${MODKIT_ARTIFACTS:-artifacts}
extra=()
if [ "$art" != artifacts ]; then
    tag=$(basename "$art")
    extra=(-p:IntermediateOutputPath="obj/Release-$tag/" -p:OutputPath="bin/Release-$tag/")
fi
out=$art/bin
mkdir -p "$out"
dotnet publish src/ModKit.Cli/ModKit.Cli.csproj -c Release -r linux-x64 --nologo -v quiet \
    -p:DebugType=none -o "$art/publish" "${extra[@]}" "$@" >&2
install -m 0755 "$art/publish/ModKit.Cli" "$out/modkit"
for tool in insmod rmmod lsmod modinfo modprobe depmod kmod; do
    ln -sfn modkit "$out/$tool"
done

# The same arguments (e.g. -p:KmodCompat=30) choose the library's kmod release and version nodes.
mkdir -p "$art/lib"
dotnet publish src/ModKit.Native/ModKit.Native.csproj -c Release -r linux-x64 --nologo -v quiet \
    -p:DebugType=none -o "$art/publish-native" "${extra[@]}" "$@" >&2
install -m 0755 "$art/publish-native/ModKit.Native.so" "$art/lib/libkmod.so.2"
echo "$out/modkit"
