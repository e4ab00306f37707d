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

    [Fact]
    public void LoadsWithParametersQuotedAsKmodDoes()
    {
        var result = Insmod(_hello, "who=a b", "count=3");

        Assert.Equal((0, "", ""), (result.ExitCode, result.StdoutText, result.StderrText));
        Assert.Equal("who=\"a b\" count=3", Assert.Single(_kernel.Calls).Parameters);
        Assert.Equal("a b", _kernel.ReadParameter("hello", "who").Value);
        Assert.Equal(ModuleInitState.Live, _kernel.ReadInitState("hello").Value);
    }

    [Fact]
    public void RelativePathsAndOptionsAfterTheFile()
    {
        var result = Insmod("hello.ko", "-f");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal((int)(ModuleLoadFlags.IgnoreVermagic | ModuleLoadFlags.IgnoreModversions), Assert.Single(_kernel.Calls).Flags);
    }

    [Theory]
    [InlineData("--force-vermagic", ModuleLoadFlags.IgnoreVermagic)]
    [InlineData("--force-modversion", ModuleLoadFlags.IgnoreModversions)]
    [InlineData("--force", ModuleLoadFlags.IgnoreVermagic | ModuleLoadFlags.IgnoreModversions)]
    [InlineData("-p", ModuleLoadFlags.None)]
    public void ForceOptionsBecomeKernelFlags(string option, ModuleLoadFlags flags)
    {
        Assert.Equal(0, Insmod(option, _hello).ExitCode);
        Assert.Equal((int)flags, Assert.Single(_kernel.Calls).Flags);
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
        var result = Insmod("-vvv", "hello.ko");
        Assert.Equal(
            $"insmod: INFO: Failed to insert module '{_hello}': File exists\n" +
            "insmod: ERROR: could not insert module hello.ko: File exists\n",
            result.StderrText);
    }

    [Fact]
    public void SyslogSendsMessagesAway()
    {
        _kernel.FailLoad("hello", Errno.EEXIST);
        var result = Insmod("-s", "hello.ko");
        Assert.Equal((1, ""), (result.ExitCode, result.StderrText));
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
        Assert.Equal(0, Insmod(xz).ExitCode);
        Assert.Equal(["finit_module", "init_module"], _kernel.Calls.Select(c => c.Operation));
    }

    // Cases that never reach the kernel behave identically on this host.
    [Theory]
    [InlineData]
    [InlineData("-")]
    [InlineData("/nonexistent/hello.ko")]
    [InlineData("nothere.ko", "a=1")]
    [InlineData("-x")]
    [InlineData("--nope")]
    [InlineData("/tmp")]
    [InlineData("/")]
    [InlineData("-f", "/nonexistent.ko.xz", "x=a b")]
    public void MatchesKmodWithoutAKernel(params string[] args)
    {
        var expected = Kmod.Run("insmod", args, _root.Path);
        var actual = InProcessTool.Run("insmod", args, currentDirectory: _root.Path);
        Assert.True(actual.SameAs(expected), actual.DescribeDifference(expected));
    }
}
