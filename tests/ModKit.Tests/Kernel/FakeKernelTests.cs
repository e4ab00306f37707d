using ModKit.Files;
using ModKit.Kernel;
using ModKit.Tests.Support;

namespace ModKit.Tests.Kernel;

public sealed class FakeKernelTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly FakeKernel _kernel;

    public FakeKernelTests() => _kernel = new FakeKernel(_root.Path, "6.1.0-fake");

    public void Dispose() => _root.Dispose();

    [Fact]
    public void InitModuleCreatesSysfsStateAndProcModulesLine()
    {
        var result = _kernel.LoadModule(TestModules.Build("hello"), "who=\"a b\" n=3");

        Assert.True(result.Succeeded);
        Assert.Equal(ModuleInitState.Live, _kernel.ReadInitState("hello").Value);
        Assert.Equal(0, _kernel.ReadRefCount("hello").Value);
        Assert.Empty(_kernel.ReadHolders("hello").Value);
        Assert.Equal("a b", _kernel.ReadParameter("hello", "who").Value);
        Assert.Equal("3", _kernel.ReadParameter("hello", "n").Value);
        var loaded = Assert.Single(_kernel.ReadLoadedModules().Value);
        Assert.Equal("hello", loaded.Name);
        Assert.Equal(_kernel.ReadSize("hello").Value, loaded.Size);
        Assert.Equal("Live", loaded.State);
    }

    [Fact]
    public void SecondLoadIsEexistAndScriptedErrorsWin()
    {
        Assert.True(_kernel.LoadModule(TestModules.Build("hello"), string.Empty).Succeeded);
        Assert.Equal(Errno.EEXIST, _kernel.LoadModule(TestModules.Build("hello"), string.Empty).Errno);

        _kernel.FailLoad("other", Errno.ENOENT);
        Assert.Equal(Errno.ENOENT, _kernel.LoadModule(TestModules.Build("other"), string.Empty).Errno);
        Assert.False(_kernel.ReadInitState("other").Succeeded);
    }

    [Fact]
    public void ReadsTheNameOfARealDebianModule()
    {
        // struct module's name field sits at offset 24 in Linux 6.1 too.
        string ext4 = KernelTree.Instance.ModuleFiles("plain").First(f => f.EndsWith("/ext4.ko", StringComparison.Ordinal));
        Assert.True(_kernel.LoadModule(File.ReadAllBytes(ext4), string.Empty).Succeeded);
        Assert.Equal("ext4", Assert.Single(_kernel.Calls).Name);
    }

    [Fact]
    public void NotElfIsEnoexec()
    {
        Assert.Equal(Errno.ENOEXEC, _kernel.LoadModule("not a module at all"u8, string.Empty).Errno);
    }

    [Fact]
    public void FinitModuleReadsTheFileAndRecordsFlags()
    {
        string path = TestModules.Write(_root.Path, "hello.ko", "hello");
        using var file = File.OpenHandle(path);

        var result = _kernel.LoadModule(file, "who=x", ModuleLoadFlags.IgnoreVermagic);

        Assert.True(result.Succeeded);
        var call = Assert.Single(_kernel.Calls);
        Assert.Equal(("finit_module", "hello", "who=x", 2), (call.Operation, call.Name, call.Parameters, call.Flags));
    }

    [Fact]
    public void CompressedFinitNeedsTheKernelsAlgorithm()
    {
        string path = TestModules.Write(_root.Path, "hello.ko.xz", "hello");
        using var file = File.OpenHandle(path);

        Assert.Equal(Errno.EOPNOTSUPP, _kernel.LoadModule(file, string.Empty, ModuleLoadFlags.CompressedFile).Errno);
        _kernel.SetCompression(ModuleCompression.Zstd);
        Assert.Equal(Errno.EINVAL, _kernel.LoadModule(file, string.Empty, ModuleLoadFlags.CompressedFile).Errno);
        _kernel.SetCompression(ModuleCompression.Xz);
        Assert.Equal(ModuleCompression.Xz, _kernel.Compression);
        Assert.True(_kernel.LoadModule(file, string.Empty, ModuleLoadFlags.CompressedFile).Succeeded);
    }

    [Fact]
    public void VermagicIsCheckedUnlessIgnored()
    {
        _kernel.VerMagic = "6.1.0-fake SMP mod_unload";
        string path = TestModules.Write(_root.Path, "old.ko", "old", vermagic: "5.10.0 SMP mod_unload");
        using var file = File.OpenHandle(path);

        Assert.Equal(Errno.ENOEXEC, _kernel.LoadModule(file, string.Empty, ModuleLoadFlags.None).Errno);
        Assert.True(_kernel.LoadModule(file, string.Empty, ModuleLoadFlags.IgnoreVermagic).Succeeded);
    }

    [Fact]
    public void UnloadRemovesStateAndRespectsHoldersAndRefcount()
    {
        _kernel.AddLoadedModule("jbd2", holders: ["ext4"]);
        _kernel.AddLoadedModule("ext4");
        _kernel.AddLoadedModule("busy", refCount: 2);

        Assert.Equal(Errno.EAGAIN, _kernel.UnloadModule("jbd2", ModuleUnloadFlags.NonBlocking).Errno);
        Assert.Equal(Errno.EAGAIN, _kernel.UnloadModule("busy", ModuleUnloadFlags.NonBlocking).Errno);
        Assert.True(_kernel.UnloadModule("busy", ModuleUnloadFlags.NonBlocking | ModuleUnloadFlags.Force).Succeeded);
        Assert.True(_kernel.UnloadModule("ext4", ModuleUnloadFlags.NonBlocking).Succeeded);
        Assert.Equal(0, _kernel.ReadRefCount("jbd2").Value);
        Assert.Empty(_kernel.ReadHolders("jbd2").Value);
        Assert.True(_kernel.UnloadModule("jbd2", ModuleUnloadFlags.NonBlocking).Succeeded);
        Assert.Equal(Errno.ENOENT, _kernel.UnloadModule("jbd2", ModuleUnloadFlags.NonBlocking).Errno);
        Assert.Empty(_kernel.ReadLoadedModules().Value);
        Assert.Equal(Errno.ENOENT, _kernel.ReadInitState("jbd2").Errno);
    }

    [Fact]
    public void NothingUnderTheRootReadsAsNotLoaded()
    {
        var kernel = new FakeKernel(Path.Combine(_root.Path, "missing"));
        Assert.Equal(Errno.ENOENT, kernel.ReadLoadedModules().Errno);
        Assert.Equal(Errno.ENOENT, kernel.ReadInitState("x").Errno);
        Assert.Equal(Errno.ENOENT, kernel.ReadSize("x").Errno);
        Assert.Equal(ModuleCompression.None, kernel.Compression);
        Assert.Equal(Errno.ENOENT, kernel.ReadCommandLine().Errno);
    }
}
