using ModKit.Files;
using ModKit.Kernel;
using ModKit.Tests.Support;

namespace ModKit.Tests.Kernel;

/// <summary>The compression decision table (kmod-behavior.md §7), ModKit's retry, and -f's two paths.</summary>
public sealed class ModuleLoaderTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly FakeKernel _kernel;

    public ModuleLoaderTests() => _kernel = new FakeKernel(Path.Combine(_root.Path, "kernel"));

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData(new[] { "a=1", "b" }, "a=1 b")]
    [InlineData(new[] { "who=a b" }, "who=\"a b\"")]
    [InlineData(new[] { "who=\"a b\"" }, "who=\"a b\"")]
    [InlineData(new[] { "who='a b'" }, "who='a b'")]
    [InlineData(new[] { "no equals sign" }, "no equals sign")]
    [InlineData(new string[0], "")]
    public void JoinsParametersLikeOptionsFromArray(string[] args, string expected) =>
        Assert.Equal(expected, ModuleLoader.JoinParameters(args));

    [Fact]
    public void PlainFileGoesToFinitModuleWithForceFlags()
    {
        string path = TestModules.Write(_root.Path, "hello.ko", "hello");
        Assert.True(ModuleLoader.Load(_kernel, path, "who=x", ModuleForce.All).Succeeded);
        var call = Assert.Single(_kernel.Calls);
        Assert.Equal(("finit_module", 3), (call.Operation, call.Flags));
    }

    [Theory]
    [InlineData("hello.ko.xz", ModuleCompression.None)]
    [InlineData("hello.ko.zst", ModuleCompression.Xz)]
    [InlineData("hello.ko.gz", ModuleCompression.Zstd)]
    public void CompressedFileTheKernelCannotDecompressIsDecompressedHere(string file, ModuleCompression kernelCompression)
    {
        _kernel.SetCompression(kernelCompression);
        string path = TestModules.Write(_root.Path, file, "hello");
        Assert.True(ModuleLoader.Load(_kernel, path, string.Empty).Succeeded);
        var call = Assert.Single(_kernel.Calls);
        Assert.Equal("init_module", call.Operation);
        Assert.Equal(TestModules.Build("hello"), call.Image);
    }

    [Fact]
    public void CompressedFileTheKernelDecompressesGoesToFinitModule()
    {
        _kernel.SetCompression(ModuleCompression.Zstd);
        string path = TestModules.Write(_root.Path, "hello.ko.zst", "hello");
        Assert.True(ModuleLoader.Load(_kernel, path, string.Empty, ModuleForce.Vermagic).Succeeded);
        var call = Assert.Single(_kernel.Calls);
        Assert.Equal(("finit_module", (int)(ModuleLoadFlags.CompressedFile | ModuleLoadFlags.IgnoreVermagic)), (call.Operation, call.Flags));
    }

    // kmod 30 predates the kernel's decompression: it always decompresses and calls init_module.
    [Theory]
    [InlineData("30", "init_module", 0)]
    [InlineData("34", "finit_module", (int)ModuleLoadFlags.CompressedFile)]
    public void CompressedFileTheKernelDecompressesFollowsTheProfile(string profile, string operation, int flags)
    {
        _kernel.SetCompression(ModuleCompression.Xz);
        string path = TestModules.Write(_root.Path, "hello.ko.xz", "hello");
        Assert.True(ModuleLoader.Load(_kernel, path, string.Empty, profile: KmodProfile.FromName(profile)).Succeeded);
        var call = Assert.Single(_kernel.Calls);
        Assert.Equal((operation, flags), (call.Operation, call.Flags));
    }

    [Fact]
    public void KernelRejectingACompressedFileIsRetriedInUserspace()
    {
        _kernel.SetCompression(ModuleCompression.Xz);
        _kernel.RejectsCompressedFiles = true;
        string path = TestModules.Write(_root.Path, "hello.ko.xz", "hello");
        var messages = new List<string>();

        Assert.True(ModuleLoader.Load(_kernel, path, string.Empty, info: messages.Add).Succeeded);
        Assert.Equal(["finit_module", "init_module"], _kernel.Calls.Select(c => c.Operation));
        Assert.Equal(Errno.EINVAL, _kernel.Calls[0].Errno);
        Assert.Single(messages);
    }

    [Fact]
    public void NoFinitModuleFallsBackToInitModuleAndForceStripsTheImage()
    {
        _kernel.SupportsFinitModule = false;
        _kernel.VerMagic = "something else";
        string path = TestModules.Write(_root.Path, "hello.ko", "hello");

        Assert.Equal(Errno.ENOEXEC, ModuleLoader.Load(_kernel, path, string.Empty).Errno);
        Assert.True(ModuleLoader.Load(_kernel, path, string.Empty, ModuleForce.All).Succeeded);

        byte[] stripped = _kernel.Calls[^1].Image;
        Assert.Equal("init_module", _kernel.Calls[^1].Operation);
        Assert.DoesNotContain("vermagic=", System.Text.Encoding.Latin1.GetString(stripped));
        var elf = ModKit.Elf.ElfFile.Open(new ModKit.IO.MemoryByteSource(stripped));
        Assert.True(elf.TryFindSection("__versions", out var versions));
        Assert.Equal(0UL, versions.Flags & 2);
    }

    [Fact]
    public void OpenErrorsComeBackAsErrno()
    {
        Assert.Equal(Errno.ENOENT, ModuleLoader.Load(_kernel, Path.Combine(_root.Path, "none.ko"), string.Empty).Errno);
        string tiny = Path.Combine(_root.Path, "tiny.ko");
        File.WriteAllText(tiny, "abc");
        Assert.Equal(Errno.EINVAL, ModuleLoader.Load(_kernel, tiny, string.Empty).Errno);
        Assert.Empty(_kernel.Calls);
    }
}
