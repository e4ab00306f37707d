using ModKit.Tests.Support;
using Xunit;

namespace ModKit.Tests.Native;

/// <summary>
/// libkmod.so.2's dynamic section and symbol versions, read with readelf and compared with kmod's own
/// library of the release it was built for (Debian 12's libkmod 30, or Debian 13's libkmod 34.2).
/// </summary>
public sealed class LibkmodSymbolTests
{
    private static readonly string TrixieLibkmod = "/root/.cache/modkit/trixie/kmod/root/usr/lib/x86_64-linux-gnu/libkmod.so.2.5.1";

    [Fact]
    public void EveryExportHasTheVersionNodeKmodGivesIt()
    {
        var ours = ReadElf.VersionDefinitions(BuiltLibrary.Path);
        string reference = ours.ContainsKey("LIBKMOD_30") ? TrixieLibkmod : BuiltLibrary.DebianLibkmod;
        Assert.True(File.Exists(reference), reference + " is missing (scripts/fetch-kmod34.sh fetches Debian 13's)");

        // The same nodes with the same parents (ModKit's library may leave a node empty, which ld marks weak).
        var theirs = ReadElf.VersionDefinitions(reference);
        Assert.Equal(theirs.Keys.Order(StringComparer.Ordinal), ours.Keys.Order(StringComparer.Ordinal));
        foreach (var (node, parent) in theirs)
        {
            Assert.Equal(parent, ours[node]);
        }

        var exported = ReadElf.DefinedFunctions(BuiltLibrary.Path);
        var kmods = ReadElf.DefinedFunctions(reference);
        Assert.NotEmpty(exported);
        foreach (var (name, version) in exported)
        {
            Assert.True(kmods.TryGetValue(name, out string? expected), $"{name} is not exported by {reference}");
            Assert.Equal((name, expected), (name, version));
        }

        // Only libkmod's functions: no runtime symbol, no shim.
        Assert.All(exported.Keys, name => Assert.StartsWith("kmod_", name, StringComparison.Ordinal));
    }

    [Fact]
    public void SonameAndNodelete()
    {
        var dynamic = ProcessRunner.Run(ProcessRunner.Require("readelf"), ["-d", "-W", BuiltLibrary.Path]).StdoutText;
        Assert.Contains("Library soname: [libkmod.so.2]", dynamic, StringComparison.Ordinal);
        Assert.Matches(@"\(FLAGS_1\)\s+Flags:.*\bNODELETE\b", dynamic);
    }
}
