namespace ModKit.Tests.Support;

/// <summary>
/// A tmpfs of a given size mounted on a fresh folder for one test (the suite runs as root), unmounted on dispose:
/// a file system that can be filled or made read-only without touching the machine's.
/// </summary>
internal sealed class TmpfsMount : IDisposable
{
    private readonly TempDirectory _folder = new();

    public TmpfsMount(int megabytes)
    {
        var result = ProcessRunner.Run("mount", ["-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", _folder.Path]);
        if (result.ExitCode != 0)
        {
            _folder.Dispose();
            throw new InvalidOperationException("mount -t tmpfs failed (the fault tests need root): " + result.StderrText);
        }
    }

    public string Path => _folder.Path;

    /// <summary>Writes a file until the file system has no byte left.</summary>
    public void Fill()
    {
        var result = ProcessRunner.Run("dd", ["if=/dev/zero", $"of={System.IO.Path.Combine(Path, "filler")}", "bs=64k"]);
        Assert.Contains("No space left on device", result.StderrText, StringComparison.Ordinal);
    }

    public void RemountReadOnly()
    {
        var result = ProcessRunner.Run("mount", ["-o", "remount,ro", Path]);
        Assert.True(result.ExitCode == 0, result.StderrText);
    }

    public void Dispose()
    {
        ProcessRunner.Run("umount", ["-l", Path]);
        _folder.Dispose();
    }
}
