using ModKit.Kernel;
using ModKit.Tests.Support;

namespace ModKit.Tests.Tools;

/// <summary>lsmod, <c>kmod list</c> and <c>modkit list</c> against a fake kernel, and against kmod 30 and 34.2 where this host allows.</summary>
public sealed partial class LsmodToolTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly FakeKernel _kernel;

    public LsmodToolTests() => _kernel = new FakeKernel(_root.Path);

    public void Dispose() => _root.Dispose();

    [Fact]
    public void PrintsKmodsFormatInKernelOrder()
    {
        _kernel.AddLoadedModule("crc16", size: 16384, holders: ["ext4", "jbd2"]);
        _kernel.AddLoadedModule("jbd2", size: 167936, holders: ["ext4"]);
        _kernel.AddLoadedModule("ext4", size: 1007616);
        _kernel.AddLoadedModule("a_module_with_a_long_name", size: 123, refCount: 12);

        var result = InProcessTool.Run("lsmod", [], kernel: _kernel);

        // Holders come in directory order, as kmod's readdir gives them.
        string crc16Holders = string.Join(',', _kernel.ReadHolders("crc16").Value);
        Assert.Equal(
            "Module                  Size  Used by\n" +
            "a_module_with_a_long_name      123  12\n" +
            "ext4                 1007616  0\n" +
            "jbd2                  167936  1 ext4\n" +
            $"crc16                  16384  2 {crc16Holders}\n",
            result.StdoutText);
        Assert.Equal(string.Empty, result.StderrText);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void MissingSysfsValuesPrintNegativeErrno()
    {
        _kernel.AddLoadedModule("gone", size: 4096);
        File.Delete(Path.Combine(_root.Path, "sys/module/gone/refcnt"));
        File.Delete(Path.Combine(_root.Path, "sys/module/gone/coresize"));

        var result = InProcessTool.Run("lsmod", [], kernel: _kernel);

        // Size falls back to /proc/modules; the missing refcnt prints -ENOENT.
        Assert.Equal("Module                  Size  Used by\ngone                    4096  -2\n", result.StdoutText);
    }

    [Fact]
    public void ListIsTheSameAsLsmod()
    {
        _kernel.AddLoadedModule("hello", size: 16384);
        var lsmod = InProcessTool.Run("lsmod", [], kernel: _kernel);
        var list = InProcessTool.Run("modkit", ["list"], kernel: _kernel);
        Assert.True(list.SameAs(lsmod), list.DescribeDifference(lsmod));
    }

    // This host has no /proc/modules: kmod 30 and ModKit must fail the same way.
    [Theory]
    [InlineData("lsmod")]
    [InlineData("lsmod", "x")]
    [InlineData("lsmod", "-h")]
    [InlineData("kmod", "list")]
    [InlineData("kmod", "list", "-v")]
    public void FailuresMatchKmod(string tool, params string[] args)
    {
        var expected = Kmod.Run(tool, args);
        var actual = InProcessTool.Run(tool, args);
        Assert.True(actual.SameAs(expected), actual.DescribeDifference(expected));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Kmod34PrintsTheSameTable(bool throughKmod)
    {
        _kernel.AddLoadedModule("crc16", size: 16384, holders: ["ext4"]);
        _kernel.AddLoadedModule("ext4", size: 1007616);
        var kmod30 = InProcessTool.Run("lsmod", [], kernel: _kernel);

        var kmod34 = throughKmod
            ? InProcessTool.Run("kmod", ["list"], kernel: _kernel, profile: KmodProfile.Kmod34)
            : InProcessTool.Run("lsmod", ["-v", "-v"], kernel: _kernel, profile: KmodProfile.Kmod34);

        Assert.True(kmod34.SameAs(kmod30), kmod34.DescribeDifference(kmod30));
    }

    [Fact]
    public void Kmod34LogsHoldersFailureAsTheTool()
    {
        _kernel.AddLoadedModule("gone", size: 4096);
        Directory.Delete(Path.Combine(_root.Path, "sys/module/gone/holders"));

        var kmod30 = InProcessTool.Run("lsmod", [], kernel: _kernel);
        var kmod34 = InProcessTool.Run("lsmod", [], kernel: _kernel, profile: KmodProfile.Kmod34);
        var quiet = InProcessTool.Run("lsmod", ["--syslog"], kernel: _kernel, profile: KmodProfile.Kmod34);

        Assert.Equal("libkmod: ERROR: kmod_module_get_holders: could not open '/sys/module/gone/holders': No such file or directory\n", kmod30.StderrText);
        Assert.Equal("lsmod: ERROR: could not open '/sys/module/gone/holders': No such file or directory\n", kmod34.StderrText);
        Assert.Equal(string.Empty, quiet.StderrText);
        Assert.Equal(kmod30.StdoutText, kmod34.StdoutText);
        Assert.Equal(kmod30.StdoutText, quiet.StdoutText);
    }

    // The binary against each kmod: options, operands and the failure without /proc/modules (this host's).
    [Theory]
    [InlineData("30", "lsmod", "")]
    [InlineData("34", "lsmod", "")]
    [InlineData("30", "lsmod", "x")]
    [InlineData("34", "lsmod", "x")]
    [InlineData("30", "lsmod", "-h")]
    [InlineData("34", "lsmod", "-h")]
    [InlineData("34", "lsmod", "--help|x")]
    [InlineData("34", "lsmod", "x|-h")]
    [InlineData("30", "lsmod", "-V")]
    [InlineData("34", "lsmod", "-V")]
    [InlineData("34", "lsmod", "--vers")]
    [InlineData("34", "lsmod", "-v")]
    [InlineData("34", "lsmod", "-vv")]
    [InlineData("34", "lsmod", "-vvv")]
    [InlineData("34", "lsmod", "-vvvv")]
    [InlineData("34", "lsmod", "-s")]
    [InlineData("34", "lsmod", "-s|-vvv")]
    [InlineData("34", "lsmod", "--syslog|x")]
    [InlineData("34", "lsmod", "-x")]
    [InlineData("34", "lsmod", "--verbose=1")]
    [InlineData("34", "lsmod", "--|-h")]
    [InlineData("30", "kmod", "list")]
    [InlineData("34", "kmod", "list")]
    [InlineData("30", "kmod", "list|-h")]
    [InlineData("34", "kmod", "list|-h")]
    [InlineData("34", "kmod", "list|x|-h")]
    [InlineData("34", "kmod", "list|-vvv")]
    public void CommandLineMatchesKmod(string oracleName, string tool, string line)
    {
        var oracle = KmodOracle.Named(oracleName);
        string[] args = line.Length == 0 ? [] : line.Split('|');
        var expected = oracle.Run(tool, args);
        expected = expected with
        {
            Stdout = System.Text.Encoding.UTF8.GetBytes(expected.StdoutText.Replace(" -ZLIB ", " +ZLIB ", StringComparison.Ordinal)),
            Stderr = System.Text.Encoding.UTF8.GetBytes(Address().Replace(expected.StderrText, "0xADDRESS")),
        };
        var actual = oracle.RunModKit(tool, args);
        actual = actual with { Stderr = System.Text.Encoding.UTF8.GetBytes(Address().Replace(actual.StderrText, "0xADDRESS")) };
        Assert.True(actual.SameAs(expected), $"{oracle} {tool} {line}: {actual.DescribeDifference(expected)}");

        // In-process runs answer the same (the fake kernel of an InProcessTool has no /proc/modules either).
        var inProcess = InProcessTool.Run(tool, args, profile: oracle.Profile);
        inProcess = inProcess with { Stderr = System.Text.Encoding.UTF8.GetBytes(Address().Replace(inProcess.StderrText, "0xADDRESS")) };
        Assert.True(inProcess.SameAs(actual), inProcess.DescribeDifference(actual));
    }

    [System.Text.RegularExpressions.GeneratedRegex("0x[0-9a-f]+")]
    private static partial System.Text.RegularExpressions.Regex Address();
}
