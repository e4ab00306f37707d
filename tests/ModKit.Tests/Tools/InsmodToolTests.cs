using ModKit.Files;
using ModKit.Kernel;
using ModKit.Tests.Support;

namespace ModKit.Tests.Tools;

/// <summary>insmod against a fake kernel (messages from kmod's tools/insmod.c), and against kmod 30 where this host allows.</summary>
public sealed class InsmodToolTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly FakeKernel _kernel;
    private readonly string _hello;

    public InsmodToolTests()
    {
        _kernel = new FakeKernel(Path.Combine(_root.Path, "kernel"));
        _hello = TestModules.Write(_root.Path, "hello.ko", "hello");
    }

    public void Dispose() => _root.Dispose();

    private ProcessResult Insmod(params string[] args) => InProcessTool.Run("insmod", args, currentDirectory: _root.Path, kernel: _kernel);

    private ProcessResult Insmod(KmodProfile profile, params string[] args) =>
        InProcessTool.Run("insmod", args, currentDirectory: _root.Path, kernel: _kernel, profile: profile);

    [Fact]
    public void LoadsWithParametersQuotedAsKmod34Does()
    {
        var result = Insmod(KmodProfile.Kmod34, _hello, "who=a b", "count=3");

        Assert.Equal((0, "", ""), (result.ExitCode, result.StdoutText, result.StderrText));
        Assert.Equal("who=\"a b\" count=3", Assert.Single(_kernel.Calls).Parameters);
        Assert.Equal("a b", _kernel.ReadParameter("hello", "who").Value);
        Assert.Equal(ModuleInitState.Live, _kernel.ReadInitState("hello").Value);
    }

    [Fact]
    public void Kmod30JoinsParametersAsTheyAre()
    {
        Insmod(KmodProfile.Kmod30, _hello, "who=a b", "count=3");
        Assert.Equal("who=a b count=3", Assert.Single(_kernel.Calls).Parameters);
    }

    [Fact]
    public void RelativePathsAndOptionsAfterTheFile()
    {
        var result = Insmod("hello.ko", "-f");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal((int)(ModuleLoadFlags.IgnoreVermagic | ModuleLoadFlags.IgnoreModversions), Assert.Single(_kernel.Calls).Flags);
    }

    [Theory]
    [InlineData("30", "-f", ModuleLoadFlags.IgnoreVermagic | ModuleLoadFlags.IgnoreModversions)]
    [InlineData("30", "-p", ModuleLoadFlags.None)]
    [InlineData("30", "-s", ModuleLoadFlags.None)]
    [InlineData("34", "-f", ModuleLoadFlags.IgnoreVermagic | ModuleLoadFlags.IgnoreModversions)]
    [InlineData("34", "--force", ModuleLoadFlags.IgnoreVermagic | ModuleLoadFlags.IgnoreModversions)]
    public void ForceOptionsBecomeKernelFlags(string release, string option, ModuleLoadFlags flags)
    {
        Assert.Equal(0, Insmod(KmodProfile.FromName(release)!, option, _hello).ExitCode);
        Assert.Equal((int)flags, Assert.Single(_kernel.Calls).Flags);
    }

    // kmod 34.2 has no --force-vermagic/--force-modversion (kmod's master has), kmod 30 no long options but -V/-h.
    [Theory]
    [InlineData("30", "--force")]
    [InlineData("30", "--syslog")]
    [InlineData("30", "-v")]
    [InlineData("30", "--force-vermagic")]
    [InlineData("34", "-p")]
    [InlineData("34", "--force-vermagic")]
    [InlineData("34", "--force-modversion")]
    public void OptionsTheReleaseLacksAreRejected(string release, string option)
    {
        var result = Insmod(KmodProfile.FromName(release)!, option, _hello);
        Assert.Equal(1, result.ExitCode);
        Assert.Empty(_kernel.Calls);
        Assert.Contains("option", result.StderrText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Errno.EEXIST, "File exists")]
    [InlineData(Errno.ENOEXEC, "Invalid module format")]
    [InlineData(Errno.ENOENT, "Unknown symbol in module")]
    [InlineData(Errno.ESRCH, "Module has wrong symbol version")]
    [InlineData(Errno.EINVAL, "Invalid parameters")]
    [InlineData(Errno.EPERM, "Operation not permitted")]
    [InlineData(Errno.ENOKEY, "Required key not available")]
    public void KernelErrorsUseInsmodsTexts(int errno, string text)
    {
        _kernel.FailLoad("hello", errno);
        var result = Insmod(_hello);
        Assert.Equal((1, $"insmod: ERROR: could not insert module {_hello}: {text}\n"), (result.ExitCode, result.StderrText));
    }

    [Fact]
    public void AlreadyLoaded()
    {
        Assert.Equal(0, Insmod("hello.ko").ExitCode);
        var again = Insmod("hello.ko");
        Assert.Equal((1, "insmod: ERROR: could not insert module hello.ko: File exists\n"), (again.ExitCode, again.StderrText));
    }

    [Fact]
    public void VerboseShowsLibkmodsInfo()
    {
        _kernel.FailLoad("hello", Errno.EEXIST);
        var result = Insmod(KmodProfile.Kmod34, "-vvv", "hello.ko");
        Assert.Equal(
            $"insmod: INFO: Failed to insert module '{_hello}': File exists\n" +
            "insmod: ERROR: could not insert module hello.ko: File exists\n",
            result.StderrText);
    }

    [Fact]
    public void SyslogSendsMessagesAway()
    {
        _kernel.FailLoad("hello", Errno.EEXIST);
        var result = Insmod(KmodProfile.Kmod34, "-s", "hello.ko");
        Assert.Equal((1, ""), (result.ExitCode, result.StderrText));
    }

    [Fact]
    public void Kmod30IgnoresDashS()
    {
        _kernel.FailLoad("hello", Errno.EEXIST);
        var result = Insmod(KmodProfile.Kmod30, "-s", "hello.ko");
        Assert.Equal((1, "insmod: ERROR: could not insert module hello.ko: File exists\n"), (result.ExitCode, result.StderrText));
    }

    // kmod 34 shows libkmod's reason for a file it cannot decompress; kmod 30 logs it through a context not yet set.
    [Theory]
    [InlineData("30", "")]
    [InlineData("34", "insmod: ERROR: xz: File is corrupt\n")]
    public void CorruptCompressedFile(string release, string libkmodLine)
    {
        File.WriteAllBytes(Path.Combine(_root.Path, "bad.ko.xz"), [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0, .. "garbage"u8]);
        var result = Insmod(KmodProfile.FromName(release)!, "bad.ko.xz");
        Assert.Equal((1, libkmodLine + "insmod: ERROR: could not insert module bad.ko.xz: Invalid parameters\n"), (result.ExitCode, result.StderrText));
    }

    [Fact]
    public void CompressedModuleIsDecompressedWhenTheKernelCannot()
    {
        string xz = TestModules.Write(_root.Path, "hello.ko.xz", "hello");
        Assert.Equal(0, Insmod(xz).ExitCode);
        Assert.Equal("init_module", Assert.Single(_kernel.Calls).Operation);
    }

    [Fact]
    public void KernelDecompressionFailureIsRetriedInUserspace()
    {
        _kernel.SetCompression(ModuleCompression.Xz);
        _kernel.RejectsCompressedFiles = true;
        string xz = TestModules.Write(_root.Path, "hello.ko.xz", "hello");
        Assert.Equal(0, Insmod(KmodProfile.Kmod34, xz).ExitCode);
        Assert.Equal(["finit_module", "init_module"], _kernel.Calls.Select(c => c.Operation));
    }

    // kmod 30 never hands the kernel a compressed file.
    [Fact]
    public void Kmod30DecompressesEvenWhatTheKernelCould()
    {
        _kernel.SetCompression(ModuleCompression.Xz);
        string xz = TestModules.Write(_root.Path, "hello.ko.xz", "hello");
        Assert.Equal(0, Insmod(KmodProfile.Kmod30, xz).ExitCode);
        Assert.Equal(["init_module"], _kernel.Calls.Select(c => c.Operation));
    }

    private static readonly string[][] HostCases =
    [
        [], ["-"], ["/nonexistent/hello.ko"], ["nothere.ko", "a=1"], ["-x"], ["--nope"], ["/tmp"], ["/"],
        ["-f", "/nonexistent.ko.xz", "x=a b"], ["-h"], ["--help"], ["-p"], ["-s"], ["-v"], ["-f"], ["-w"], ["--force"], ["--syslog"],
        ["--verbose"], ["--force-vermagic"], ["--force-modversion"], ["-s", "/nonexistent.ko"], ["-v", "/nonexistent.ko"],
        ["-p", "-s", "-f"], ["BAD.ko.xz"], ["-v", "BAD.ko.xz"], ["--", "-f"],
    ];

    // kmod 30 decodes what it can of a cut zstd file and hands that to the kernel; kmod 34 fails before.
    private static readonly string[][] Kmod34HostCases = [["CUT.ko.zst"], ["-s", "CUT.ko.zst"]];

    public static TheoryData<string, string[]> HostCasesForBothReleases()
    {
        var data = new TheoryData<string, string[]>();
        foreach (string release in new[] { "30", "34" })
        {
            foreach (var args in HostCases)
            {
                data.Add(release, args);
            }
        }

        foreach (var args in Kmod34HostCases)
        {
            data.Add("34", args);
        }

        return data;
    }

    // Cases that never reach the kernel (a file that cannot be read or decompressed among them) behave identically
    // on this host.
    [Theory]
    [MemberData(nameof(HostCasesForBothReleases))]
    public void MatchesKmodWithoutAKernel(string release, string[] args)
    {
        File.WriteAllBytes(Path.Combine(_root.Path, "BAD.ko.xz"), [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0, .. "garbage"u8]);
        File.WriteAllBytes(Path.Combine(_root.Path, "CUT.ko.zst"), [0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x58]);
        var oracle = KmodOracle.Named(release);
        var expected = oracle.Run("insmod", args, _root.Path);
        var actual = InProcessTool.Run("insmod", args, currentDirectory: _root.Path, profile: oracle.Profile);
        Assert.True(actual.SameAs(expected), actual.DescribeDifference(expected));
    }
}
