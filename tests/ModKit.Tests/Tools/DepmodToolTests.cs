using ModKit.Tests.Support;

namespace ModKit.Tests.Tools;

/// <summary>
/// The depmod tool over a temporary root whose kernel/ directory links to a Debian tree: every file it writes
/// must equal the one the matching kmod's depmod wrote for the same tree (kmod 30 or kmod 34.2, each with the
/// ModKit profile that behaves as it), and so must <c>-n</c>'s output and the command-line errors.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DepmodToolTests
{
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The tool in-process over Debian 12's trees (kmod 30's files in the cache).</summary>
    [Theory]
    [InlineData("plain")]
    [InlineData("zst")]
    public void Depmod_WritesKmodsFiles_Atomically(string kind)
    {
        using var tree = new ModuleTreeCopy(kind);

        var result = InProcessTool.Run("depmod", ["-b", tree.Root, tree.Release]);

        Assert.Equal("", result.StderrText);
        Assert.Equal(0, result.ExitCode);
        AssertSameFiles(KmodOracle.Kmod30, tree.Source, tree.ModuleDirectory);
    }

    /// <summary>The binary (MODKIT_BIN) in each profile, over Debian 12's and Debian 13's trees.</summary>
    [Theory]
    [InlineData("bookworm", "plain", "30")]
    [InlineData("bookworm", "plain", "34")]
    [InlineData("trixie", "plain", "34")]
    [InlineData("trixie", "xz", "34")]
    public void DepmodBinary_WritesWhatKmodWrites(string release, string kind, string kmod)
    {
        var oracle = KmodOracle.Named(kmod);
        var kernel = Depmod.DepmodEngineDifferentialTests.Tree(release);
        using var tree = new ModuleTreeCopy(kernel, kind);

        var result = oracle.RunModKit("depmod", ["-b", tree.Root, tree.Release]);

        Assert.Equal("", result.StderrText);
        Assert.Equal(0, result.ExitCode);
        AssertSameFiles(oracle, DepmodOracleOutputs.Directory(oracle, kernel, kind), tree.ModuleDirectory);
    }

    [Fact]
    public void DepmodOutdir_WritesElsewhere_AndLeavesTheModuleDirectoryAlone()
    {
        using var tree = new ModuleTreeCopy("plain");
        string outdir = Path.Combine(tree.Root, "out");

        var result = InProcessTool.Run("depmod", ["-b", tree.Root, "-o", outdir, tree.Release], profile: KmodProfile.Kmod34);

        Assert.Equal(0, result.ExitCode);
        AssertSameFiles(KmodOracle.Kmod34, DepmodOracleOutputs.Directory(KmodOracle.Kmod34, KernelTree.Instance, "plain"),
            Path.Combine(outdir, "lib", "modules", tree.Release));
        Assert.False(File.Exists(Path.Combine(tree.ModuleDirectory, "modules.dep")));
    }

    [Theory]
    [InlineData("bookworm", "plain", "30")]
    [InlineData("bookworm", "plain", "34")]
    [InlineData("trixie", "plain", "34")]
    public void DepmodShow_PrintsWhatKmodPrints(string release, string kind, string kmod)
    {
        var oracle = KmodOracle.Named(kmod);
        var tree = Depmod.DepmodEngineDifferentialTests.Tree(release);
        string[] args = ["-n", "-b", tree.Root(kind), tree.Release];
        var before = Directory.GetFiles(tree.ModuleDirectory(kind)).Select(File.GetLastWriteTimeUtc).ToList();

        var kmodResult = oracle.Run("depmod", args);
        var ours = InProcessTool.Run("depmod", args, profile: oracle.Profile);

        Assert.Equal(kmodResult.ExitCode, ours.ExitCode);
        Assert.Equal(kmodResult.StderrText, ours.StderrText);
        Assert.True(kmodResult.StdoutText == ours.StdoutText, $"depmod -n output differs from {oracle}'s");
        Assert.Equal(oracle.Profile.WritesWeakDependencies, ours.StdoutText.Contains("# Weak dependencies", StringComparison.Ordinal));
        Assert.Equal(before, Directory.GetFiles(tree.ModuleDirectory(kind)).Select(File.GetLastWriteTimeUtc));
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

    /// <summary>
    /// The default depmod.d folders: kmod 34.2 reads /usr/lib/depmod.d, then /lib/depmod.d, which alone kmod 30 reads
    /// (as strace shows; kmod's own folders cannot be moved under a test root, so this checks ModKit alone, under a
    /// root of its own).
    /// </summary>
    [Theory]
    [InlineData("30", "lib/depmod.d", "foo")]
    [InlineData("30", "usr/lib/depmod.d", "updates")]
    [InlineData("34", "usr/lib/depmod.d", "foo")]
    [InlineData("34", "lib/depmod.d", "foo")]
    public void DefaultConfigurationFolders_FollowTheProfile(string kmod, string folder, string winner)
    {
        using var root = new TempDirectory();
        string modules = Path.Combine(root.Path, "lib", "modules", "4.4.4");
        foreach (string sub in new[] { "kernel", "updates", "foo" })
            new TestModuleBuilder().Info("alias", "from-" + sub).WriteTo($"{modules}/{sub}/mod-simple.ko");
        Directory.CreateDirectory(Path.Combine(root.Path, folder));
        File.WriteAllText(Path.Combine(root.Path, folder, "test.conf"), "search foo built-in\n");

        var result = InProcessTool.Run("depmod", ["-n", "4.4.4"], root: root.Path, profile: KmodOracle.Named(kmod).Profile);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith($"{winner}/mod-simple.ko:\n", result.StdoutText, StringComparison.Ordinal);
    }

    /// <summary>
    /// 65535 modules (links to one file): kmod 34.2 refuses to number them (16-bit module numbers); kmod 30 dies on
    /// an assertion there, which ModKit's kmod 30 profile does not copy.
    /// </summary>
    [Fact]
    public void SixtyFiveThousandModules_AreTooManyForKmod34()
    {
        using var root = new TempDirectory();
        string modules = Path.Combine(root.Path, "lib", "modules", "4.4.4", "kernel");
        Directory.CreateDirectory(modules);
        new TestModuleBuilder().Exports("a_fn").WriteTo(Path.Combine(root.Path, "a.ko"));
        for (int i = 0; i < ushort.MaxValue; i++)
            File.CreateSymbolicLink(Path.Combine(modules, $"m{i:D5}.ko"), "../../../../a.ko");
        string[] args = ["-n", "-b", root.Path, "4.4.4"];

        var kmod = KmodOracle.Kmod34.Run("depmod", args);
        var ours = InProcessTool.Run("depmod", args, profile: KmodProfile.Kmod34);

        Assert.Equal("depmod: FATAL: could not build module array: Numerical result out of range\n", kmod.StderrText);
        Assert.Equal(kmod.StderrText, ours.StderrText);
        Assert.Equal(kmod.StdoutText, ours.StdoutText);
        Assert.Equal(kmod.ExitCode, ours.ExitCode);
    }

    /// <summary>Every file the profile writes equals the oracle's, with mode 0644, and nothing else of depmod's is there.</summary>
    private static void AssertSameFiles(KmodOracle oracle, string kmodDirectory, string ourDirectory)
    {
        var names = DepmodOracleOutputs.FileNames(oracle.Profile);
        foreach (string name in names)
        {
            byte[] expected = File.ReadAllBytes(Path.Combine(kmodDirectory, name));
            byte[] actual = File.ReadAllBytes(Path.Combine(ourDirectory, name));
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{name} differs from {oracle}'s ({actual.Length} vs {expected.Length} bytes)");
            Assert.Equal(FileMode, File.GetUnixFileMode(Path.Combine(ourDirectory, name)));
        }

        var written = Directory.GetFiles(ourDirectory).Select(Path.GetFileName).Where(n => !ModuleTreeCopy.Inputs.Contains(n)).Order(StringComparer.Ordinal);
        Assert.Equal(names.Order(StringComparer.Ordinal), written);
        var kmodWrote = Directory.GetFiles(kmodDirectory).Select(Path.GetFileName).Where(n => !ModuleTreeCopy.Inputs.Contains(n)).Order(StringComparer.Ordinal);
        Assert.Equal(kmodWrote, written);
    }
}
