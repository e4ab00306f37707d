using ModKit.Kernel;
using ModKit.Tests.Support;

namespace ModKit.Tests.Tools;

/// <summary>lsmod and <c>modkit list</c> against a fake kernel, and against kmod 30 where this host allows.</summary>
public sealed class LsmodToolTests : IDisposable
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
        var actual = InProcessTool.Run(tool == "kmod" ? "modkit" : tool, args);
        Assert.True(actual.SameAs(expected), actual.DescribeDifference(expected));
    }
}
