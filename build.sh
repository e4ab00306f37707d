#!/usr/bin/env bash
# Builds the NativeAOT multi-call binary artifacts/bin/modkit and the tool links beside it, and
# libkmod's ABI as a NativeAOT shared library, artifacts/lib/libkmod.so.2 (src/ModKit.Native).
# NativeAOT needs clang (or gcc) and binutils' objcopy; the binary is linked statically with the
# decompressors' archives (libzstd-dev, zlib1g-dev, and Debian 13's liblzma-dev, fetched by scripts/fetch-liblzma.sh,
# or this machine's) and OpenSSL's (libssl-dev; .NET's crypto shim is compiled for it with cmake). The library is packed for NuGet into
# artifacts/nuget. The manual pages (man/*.scd) are
# rendered with scdoc into artifacts/man/man5 and man8, and the shell completions (completions/) laid out
# for bash, zsh and fish under artifacts/completions. Missing packages are installed.
# Extra arguments go to dotnet publish: ./build.sh -p:StaticExecutable=false links them dynamically.
# MODKIT_ARTIFACTS=DIR builds into DIR/bin and DIR/lib instead of artifacts/ (with its own intermediate
# folders, so that two profiles built side by side do not recompile each other: scripts/package.sh).
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v clang >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || need+=(clang)
for package in binutils zlib1g-dev liblzma-dev libzstd-dev libssl-dev cmake make scdoc; do
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
# Debian 13's liblzma.a (faster xz decoding) when it can be fetched, else the machine's (liblzma-dev).
lzma=()
if archive=$(scripts/fetch-liblzma.sh 2>/dev/null); then
    lzma=(-p:LzmaArchive="$archive")
else
    echo "build.sh: Debian 13's liblzma could not be fetched; linking this machine's" >&2
fi
out=$art/bin
mkdir -p "$out"
dotnet publish src/ModKit.Cli/ModKit.Cli.csproj -c Release -r linux-x64 --nologo -v quiet \
    -p:DebugType=none -o "$art/publish" "${extra[@]}" "${lzma[@]}" "$@" >&2
install -m 0755 "$art/publish/ModKit.Cli" "$out/modkit"
for tool in insmod rmmod lsmod modinfo modprobe depmod kmod; do
    ln -sfn modkit "$out/$tool"
done

# The same arguments (e.g. -p:KmodCompat=30) choose the library's kmod release and version nodes.
mkdir -p "$art/lib"
dotnet publish src/ModKit.Native/ModKit.Native.csproj -c Release -r linux-x64 --nologo -v quiet \
    -p:DebugType=none -o "$art/publish-native" "${extra[@]}" "$@" >&2
install -m 0755 "$art/publish-native/ModKit.Native.so" "$art/lib/libkmod.so.2"

# The library as a NuGet package (ModKit.<version>.nupkg; examples/ModuleList uses it from there). NuGet 7.9's
# deterministic pack, every entry dated by the last commit that touched the library (1980-01-01 outside git),
# so that packing again gives the same bytes (tests/ModKit.Tests/Packaging/NuGetPackageTests).
rm -rf "$art/nuget"
pack_time=$(git log -1 --format=%ct -- src/ModKit 2>/dev/null || true)
dotnet pack src/ModKit/ModKit.csproj -c Release --nologo -v quiet -o "$art/nuget" \
    -p:DeterministicTimestamp="${pack_time:-315532800}" "${extra[@]}" "$@" >&2

# Manual pages: section from the name (modprobe.d.5.scd -> man5/modprobe.d.5); dated by the last commit
# that touched them, so that a rebuild gives the same bytes.
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct -- man 2>/dev/null || true)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-0}
for source in man/*.scd; do
    page=$(basename "$source" .scd)
    mkdir -p "$art/man/man${page##*.}"
    scdoc <"$source" >"$art/man/man${page##*.}/$page"
done

# Shell completions, one file per command as each shell looks them up: bash-completion and zsh by the
# command's name (links to the one script), fish by <command>.fish (the shared functions, then the command's).
tools="modkit kmod insmod rmmod lsmod modinfo modprobe depmod"
rm -rf "$art/completions"
mkdir -p "$art/completions/bash" "$art/completions/zsh" "$art/completions/fish"
install -m 0644 completions/bash/modkit "$art/completions/bash/modkit"
install -m 0644 completions/zsh/_modkit "$art/completions/zsh/_modkit"
for tool in $tools; do
    [ "$tool" = modkit ] || ln -sfn modkit "$art/completions/bash/$tool"
    [ "$tool" = modkit ] || ln -sfn _modkit "$art/completions/zsh/_$tool"
    cat completions/fish/common.fish "completions/fish/$tool.fish" >"$art/completions/fish/$tool.fish"
done
echo "$out/modkit"
