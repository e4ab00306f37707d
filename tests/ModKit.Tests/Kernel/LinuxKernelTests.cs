using System.Runtime.InteropServices;
using ModKit.Files;
using ModKit.Kernel;
using ModKit.Tests.Support;

namespace ModKit.Tests.Kernel;

/// <summary>The Linux kernel's /proc and /sys parsing over a fixture root, and what this host allows of the rest.</summary>
public sealed class LinuxKernelTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private void Write(string relative, string text)
    {
        string path = Path.Combine(_root.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [Fact]
    public void ReleaseIsUnameR()
    {
        string expected = File.ReadAllText("/proc/sys/kernel/osrelease").TrimEnd('\n');
        Assert.Equal(expected, new LinuxKernel().Release);
    }

    [Fact]
    public void ReadsRealSysfsAttributes()
    {
        // sysfs claims 4096 bytes for every attribute; the reader must stop at the real end.
        string parameter = Directory.EnumerateFiles("/sys/module", "*", SearchOption.AllDirectories)
            .First(p => p.Contains("/parameters/", StringComparison.Ordinal) && IsReadable(p));
        string module = parameter.Split('/')[3];
        string expected = File.ReadAllLines(parameter)[0];

        var value = new LinuxKernel().ReadParameter(module, Path.GetFileName(parameter));

        Assert.True(value.Succeeded, Errno.Describe(value.Errno));
        Assert.Equal(expected, value.Value);
    }

    private static bool IsReadable(string path)
    {
        try
        {
            return File.ReadAllLines(path).Length > 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [Fact]
    public void FinitModuleNumberIsKnownForThisArchitecture()
    {
        Assert.Equal(RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 313 : 273, (int)ModKit.Interop.Libc.FinitModuleNumber);
    }

    [Fact]
    public void ParsesProcModulesLikeKmod()
    {
        Write("proc/modules",
            "ext4 1007616 1 - Live 0xffffffffc0a1c000\n" +
            "jbd2 167936 1 ext4, Live 0x0000000000000000\n" +
            "crc16 16384 2 ext4,jbd2, Live 0x0000000000000000 (E)\n");
        var modules = new LinuxKernel(_root.Path).ReadLoadedModules().Value;

        Assert.Equal(["ext4", "jbd2", "crc16"], modules.Select(m => m.Name));
        Assert.Equal(167936, modules[1].Size);
        Assert.Equal(["ext4", "jbd2"], modules[2].Users);
        Assert.Empty(modules[0].Users);
    }

    [Fact]
    public void SysfsStateFollowsLibkmodRules()
    {
        Write("sys/module/live/initstate", "live\n");
        Write("sys/module/live/refcnt", "3\n");
        Write("sys/module/live/coresize", "12288\n");
        Directory.CreateDirectory(Path.Combine(_root.Path, "sys/module/live/holders/user"));
        Directory.CreateDirectory(Path.Combine(_root.Path, "sys/module/builtin/parameters"));
        Write("sys/module/odd/initstate", "weird\n");
        Write("proc/modules", "nocore 4096 0 - Live 0x0\n");
        Directory.CreateDirectory(Path.Combine(_root.Path, "sys/module/nocore"));
        Write("sys/module/compression", "zstd\n");
        Write("proc/cmdline", "root=/dev/sda1 quiet\n");
        var kernel = new LinuxKernel(_root.Path);

        Assert.Equal(ModuleInitState.Live, kernel.ReadInitState("live").Value);
        Assert.Equal(ModuleInitState.Coming, kernel.ReadInitState("builtin").Value);
        Assert.Equal(Errno.EINVAL, kernel.ReadInitState("odd").Errno);
        Assert.Equal(Errno.ENOENT, kernel.ReadInitState("absent").Errno);
        Assert.Equal(3, kernel.ReadRefCount("live").Value);
        Assert.Equal(Errno.ENOENT, kernel.ReadRefCount("builtin").Errno);
        Assert.Equal(12288, kernel.ReadSize("live").Value);
        Assert.Equal(4096, kernel.ReadSize("nocore").Value);
        Assert.Equal(["user"], kernel.ReadHolders("live").Value);
        Assert.Equal(Errno.ENOENT, kernel.ReadHolders("absent").Errno);
        Assert.Equal(ModuleCompression.Zstd, kernel.Compression);
        Assert.Equal("root=/dev/sda1 quiet", kernel.ReadCommandLine().Value);
    }

    [Fact]
    public void SystemCallsReachTheKernel()
    {
        // This host's kernel has no module support: both calls answer ENOSYS (as kmod 30 reports here).
        // A VM proves the success paths (tests/vm).
        var kernel = new LinuxKernel();
        var unload = kernel.UnloadModule("modkit_no_such_module", ModuleUnloadFlags.NonBlocking);
        Assert.Contains(unload.Errno, new[] { Errno.ENOSYS, Errno.ENOENT, Errno.EPERM });
        var load = kernel.LoadModule("not elf"u8, string.Empty);
        Assert.Contains(load.Errno, new[] { Errno.ENOSYS, Errno.ENOEXEC, Errno.EPERM });
    }
}
