using ModKit.Kernel;
using ModKit.Tests.Support;

namespace ModKit.Tests.Modules;

/// <summary>The .NET face (<see cref="KernelModules"/>) over Debian 12's tree and a fake kernel: the tools' answers, as records and exceptions.</summary>
public sealed class KernelModulesTests : IDisposable
{
    private readonly TempDirectory _scratch = new();
    private readonly KernelTree _tree = KernelTree.Instance;
    private readonly FakeKernel _kernel;
    private readonly KernelModules _modules;

    public KernelModulesTests()
    {
        _kernel = new FakeKernel(_scratch.Path, _tree.Release);
        _modules = KernelModules.Open(_tree.Root("plain"), kernel: _kernel, profile: KmodProfile.Kmod30);
    }

    public void Dispose()
    {
        _modules.Dispose();
        _scratch.Dispose();
    }

    [Fact]
    public void DetailsAreModinfos()
    {
        var ext4 = _modules.Get("ext4");
        string Field(string field) => InProcessTool.Run("modinfo", ["-b", _tree.Root("plain"), "-k", _tree.Release, "-F", field, "ext4"]).StdoutText;
        Assert.Equal(Field("filename").TrimEnd('\n'), ext4.Path);
        Assert.Equal(Field("alias"), string.Concat(ext4.Aliases.Select(a => a + "\n")));
        Assert.Equal("GPL", ext4.License);
        Assert.False(ext4.IsBuiltin);
        Assert.Contains(ext4.Dependencies, d => d.EndsWith("/jbd2.ko", StringComparison.Ordinal));

        var loop = _modules.Get("loop");
        Assert.Contains(loop.Parameters, p => p is { Name: "max_part", Type: "int", Description: "Maximum number of partitions per loop device" });
        Assert.Contains(loop.Parameters, p => p is { Name: "max_loop", Type: null });
        Assert.True(_modules.TryGet("fs-vfat", out var vfat));
        Assert.Equal("vfat", vfat!.Name);
    }

    [Fact]
    public void ResolveIsModprobesResolveAlias()
    {
        foreach (string alias in new[] { "fs-vfat", "symbol:ext4_bread", "pci:v00008086d000010D3sv*sd*bc*sc*i*", "nosuch" })
        {
            string expected = InProcessTool.Run("modprobe", ["-d", _tree.Root("plain"), "-S", _tree.Release, "-R", alias]).StdoutText;
            Assert.Equal(expected, string.Concat(_modules.Resolve(alias).Select(n => n + "\n")));
        }
    }

    [Fact]
    public void NamesAreModulesDepsModules()
    {
        Assert.Equal(File.ReadLines(Path.Combine(_tree.ModuleDirectory("plain"), "modules.dep")).Count(), _modules.Names().Count());
    }

    [Fact]
    public void LoadsAndUnloadsThroughTheKernel()
    {
        _modules.Load("ext4", "nombcache");
        Assert.Contains(_modules.Loaded(), m => m.Name == "jbd2");
        Assert.True(_modules.TryLoad("ext4", null, out int again));
        Assert.Equal(0, again);
        _modules.Unload("ext4");
        Assert.DoesNotContain(_modules.Loaded(), m => m.Name == "ext4");
    }

    [Fact]
    public void FailuresAreExceptionsWithErrno()
    {
        var missing = Assert.Throws<ModuleOperationException>(() => _modules.Get("no-such-module"));
        Assert.Equal(Errno.ENOENT, missing.ErrorNumber);
        var notLoaded = Assert.Throws<ModuleOperationException>(() => _modules.Unload("ext4"));
        Assert.Equal(Errno.ENOENT, notLoaded.ErrorNumber);
        Assert.Equal("could not remove 'ext4': No such file or directory", notLoaded.Message);
        Assert.False(_modules.TryLoad("no-such-module", null, out int errno));
        Assert.Equal(Errno.ENOENT, errno);
        Assert.False(_modules.TryGet("no-such-module", out var none));
        Assert.Null(none);
    }
}
