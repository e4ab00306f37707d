using ModKit.Index;
using ModKit.Tests.Support;

namespace ModKit.Tests.Index;

/// <summary>
/// The two kmod readers' tie orders (docs/index-format.md §6), checked against modprobe itself on a tiny
/// tree whose builtin aliases collide: modprobe uses the mmap reader when every index loads, and falls back
/// to the stdio reader for all lookups when one of them (here modules.symbols.bin) fails to load.
/// </summary>
public sealed class KmodTieOrderTests : IDisposable
{
    private const string Release = "9.9.9-modkit";
    private readonly string _root = Directory.CreateTempSubdirectory("modkit-ties-").FullName;
    private readonly string _moduleDirectory;
    private readonly string _config;

    public KmodTieOrderTests()
    {
        _moduleDirectory = Path.Combine(_root, "lib", "modules", Release);
        _config = Path.Combine(_root, "modprobe.d");
        Directory.CreateDirectory(_moduleDirectory);
        Directory.CreateDirectory(_config);
        File.WriteAllText(Path.Combine(_moduleDirectory, "modules.order"), "");
        File.WriteAllText(Path.Combine(_moduleDirectory, "modules.builtin"), "kernel/net/unix/unix.ko\nkernel/fs/ext4/ext4.ko\nkernel/zzz.ko\n");
        File.WriteAllText(Path.Combine(_moduleDirectory, "modules.builtin.modinfo"), "unix.alias=dup_alias\0ext4.alias=dup_alias\0zzz.alias=dup_alias\0");
        var depmod = ProcessRunner.Run(ProcessRunner.Require("depmod"), ["-b", _root, Release]);
        if (depmod.ExitCode != 0)
            throw new InvalidOperationException($"depmod failed ({depmod.ExitCode}): {depmod.StderrText}");
    }

    [Fact]
    public void BothReadersOrderTiesAsModprobeDoes()
    {
        using var index = IndexFile.Open(Path.Combine(_moduleDirectory, "modules.builtin.alias.bin"));
        var mmap = index.LookupWildcard("dup_alias", IndexTieOrder.Mmap).Select(v => v.Value).ToList();
        var stdio = index.LookupWildcard("dup_alias", IndexTieOrder.Stdio).Select(v => v.Value).ToList();
        Assert.Equal(["unix", "ext4", "zzz"], mmap);
        Assert.Equal(["zzz", "ext4", "unix"], stdio);

        Assert.Equal(mmap, ResolveWithModprobe());

        // An empty modules.symbols.bin fails index_mm_open (EINVAL), so kmod_load_resources unloads every
        // index and each lookup opens its file with the stdio reader instead.
        File.WriteAllBytes(Path.Combine(_moduleDirectory, "modules.symbols.bin"), []);
        Assert.Equal(stdio, ResolveWithModprobe());
        Assert.False(IndexFile.TryOpen(Path.Combine(_moduleDirectory, "modules.symbols.bin"), out _, out int error));
        Assert.Equal(Errno.EINVAL, error);

        // An empty builtin alias index is simply "no match".
        File.WriteAllBytes(Path.Combine(_moduleDirectory, "modules.builtin.alias.bin"), []);
        Assert.Empty(ResolveWithModprobe());
    }

    private List<string> ResolveWithModprobe()
    {
        var modprobe = ProcessRunner.Run(ProcessRunner.Require("modprobe"),
            ["-d", _root, "-S", Release, "-C", _config, "-R", "dup_alias"]);
        return [.. modprobe.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
