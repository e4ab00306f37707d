using System.Text;
using ModKit.Tests.Support;

namespace ModKit.Tests.Tools;

/// <summary>
/// The depmod tool over a temporary root whose kernel/ directory links to Debian's tree: every file it writes
/// must equal the one kmod 30's depmod wrote for the same tree.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DepmodToolTests
{
    private static readonly string[] KmodFiles =
    [
        "modules.dep", "modules.dep.bin", "modules.alias", "modules.alias.bin", "modules.softdep", "modules.symbols",
        "modules.symbols.bin", "modules.builtin.bin", "modules.builtin.alias.bin", "modules.devname",
    ];

    private const string WeakdepHeader = "# Weak dependencies extracted from modules themselves.\n";

    [Theory]
    [InlineData("plain")]
    [InlineData("zst")]
    public void Depmod_WritesKmodsFiles_Atomically(string kind)
    {
        using var tree = new ModuleTreeCopy(kind);

        var result = InProcessTool.Run("depmod", ["-b", tree.Root, tree.Release]);

        Assert.Equal("", result.StderrText);
        Assert.Equal(0, result.ExitCode);
        AssertSameFiles(tree.Source, tree.ModuleDirectory);
        Assert.Equal(WeakdepHeader, File.ReadAllText(Path.Combine(tree.ModuleDirectory, "modules.weakdep")));
        var written = Directory.GetFiles(tree.ModuleDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(KmodFiles.Concat(ModuleTreeCopy.Inputs).Append("modules.weakdep").Order(StringComparer.Ordinal), written);
        foreach (string name in KmodFiles)
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                File.GetUnixFileMode(Path.Combine(tree.ModuleDirectory, name)));
        }
    }

    [Fact]
    public void DepmodOutdir_WritesElsewhere_AndLeavesTheModuleDirectoryAlone()
    {
        using var tree = new ModuleTreeCopy("plain");
        string outdir = Path.Combine(tree.Root, "out");

        var result = InProcessTool.Run("depmod", ["-b", tree.Root, "-o", outdir, tree.Release]);

        Assert.Equal(0, result.ExitCode);
        AssertSameFiles(tree.Source, Path.Combine(outdir, "lib", "modules", tree.Release));
        Assert.False(File.Exists(Path.Combine(tree.ModuleDirectory, "modules.dep")));
    }

    [Fact]
    public void DepmodShow_PrintsWhatKmodPrints_PlusTheWeakdepHeader()
    {
        using var tree = new ModuleTreeCopy("plain");

        var kmod = Kmod.Run("depmod", ["-n", "-b", tree.Root, tree.Release]);
        var ours = InProcessTool.Run("depmod", ["-n", "-b", tree.Root, tree.Release]);

        Assert.Equal(kmod.ExitCode, ours.ExitCode);
        Assert.Equal(kmod.StderrText, ours.StderrText);
        string expected = kmod.StdoutText.Replace(
            "# Aliases for symbols, used by symbol_request().\n", WeakdepHeader + "# Aliases for symbols, used by symbol_request().\n", StringComparison.Ordinal);
        Assert.True(expected == ours.StdoutText, "depmod -n output differs from kmod's");
        Assert.Equal(ModuleTreeCopy.Inputs.Length, Directory.GetFiles(tree.ModuleDirectory).Length);
    }

    [Fact]
    public void DepmodQuick_DoesNothingWhenModulesDepIsNewest_AndEverythingWhenMissing()
    {
        using var tree = new ModuleTreeCopy("plain");

        Assert.Equal(0, InProcessTool.Run("depmod", ["-A", "-b", tree.Root, tree.Release]).ExitCode);
        Assert.True(File.Exists(Path.Combine(tree.ModuleDirectory, "modules.alias.bin")));

        File.Delete(Path.Combine(tree.ModuleDirectory, "modules.alias.bin"));
        File.SetLastWriteTimeUtc(Path.Combine(tree.ModuleDirectory, "modules.dep"), DateTime.UtcNow.AddDays(1));
        Assert.Equal(0, InProcessTool.Run("depmod", ["-A", "-b", tree.Root, tree.Release]).ExitCode);
        Assert.False(File.Exists(Path.Combine(tree.ModuleDirectory, "modules.alias.bin")));
    }

    [Fact]
    public void Depmod_Errors_AsKmodWords_Them()
    {
        var badVersion = InProcessTool.Run("depmod", ["-b", "/nonexistent", "abc"]);
        Assert.Equal(1, badVersion.ExitCode);
        Assert.Equal("depmod: ERROR: Bad version passed abc\n", badVersion.StderrText);

        var relative = InProcessTool.Run("depmod", ["-b", "/nonexistent", "6.1.0", "relative.ko"]);
        Assert.Equal(1, relative.ExitCode);
        Assert.Equal("depmod: FATAL: relative.ko: not absolute path.\n", relative.StderrText);

        var prefix = InProcessTool.Run("depmod", ["-P", "ab", "6.1.0"]);
        Assert.Equal(1, prefix.ExitCode);
        Assert.Equal("depmod: FATAL: -P only takes a single char\n", prefix.StderrText);
    }

    private static void AssertSameFiles(string kmodDirectory, string ourDirectory)
    {
        foreach (string name in KmodFiles)
        {
            byte[] expected = File.ReadAllBytes(Path.Combine(kmodDirectory, name));
            byte[] actual = File.ReadAllBytes(Path.Combine(ourDirectory, name));
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{name} differs from kmod's ({actual.Length} vs {expected.Length} bytes)");
        }
    }
}
