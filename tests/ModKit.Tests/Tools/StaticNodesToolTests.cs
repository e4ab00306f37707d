using ModKit.Tests.Support;

namespace ModKit.Tests.Tools;

/// <summary>
/// <c>kmod static-nodes</c> in-process over a fake root: the release comes from the context, the file from under
/// its root. Kmod itself is compared in <see cref="StaticNodesDifferentialTests"/>.
/// </summary>
public sealed class StaticNodesToolTests : IDisposable
{
    private const string Release = "6.1.0-fake";

    private readonly TempDirectory _root = new();
    private readonly TempDirectory _work = new();

    public StaticNodesToolTests()
    {
        string folder = Path.Combine(_root.Path, "lib/modules", Release);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "modules.devname"), "# comment\nfuse fuse c10:229\nbroken\ntun net/tun c10:200\n");
    }

    public void Dispose()
    {
        _root.Dispose();
        _work.Dispose();
    }

    private ProcessResult Run(KmodProfile profile, params string[] args) =>
        InProcessTool.Run("kmod", ["static-nodes", .. args], currentDirectory: _work.Path, root: _root.Path, kernelRelease: Release, profile: profile);

    [Fact]
    public void Kmod34WritesToStandardOutput()
    {
        var result = Run(KmodProfile.Kmod34, "-f", "devname");

        Assert.Equal("fuse fuse c10:229\ntun net/tun c10:200\n", result.StdoutText);
        Assert.Equal("Error: invalid devname entry: broken\n", result.StderrText);
        Assert.Equal(1, result.ExitCode);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("34")]
    public void OutputGoesUnderTheWorkingDirectoryWithItsFolders(string profile)
    {
        var result = Run(KmodProfile.FromName(profile)!, "--format=tmpfiles", "--output=run/tmpfiles.d/static-nodes.conf");

        Assert.Equal(string.Empty, result.StdoutText);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "c! /dev/fuse 0600 - - - 10:229\nd /dev/net 0755 - - -\nc! /dev/net/tun 0600 - - - 10:200\n",
            File.ReadAllText(Path.Combine(_work.Path, "run/tmpfiles.d/static-nodes.conf")));
    }

    [Fact]
    public void AMissingFileIsOnlyAWarningAndMakesNoOutput()
    {
        File.Delete(Path.Combine(_root.Path, "lib/modules", Release, "modules.devname"));

        var result = Run(KmodProfile.Kmod30, "-o", "out/file");

        Assert.Equal($"Warning: /lib/modules/{Release}/modules.devname not found - ignoring\n", result.StderrText);
        Assert.Equal(0, result.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(_work.Path, "out")));
    }

    [Fact]
    public void AnUnknownFormatPrintsTheHelp()
    {
        var result = Run(KmodProfile.Kmod34, "-f", "json");

        Assert.Equal("Unknown format: 'json'.\n", result.StderrText);
        Assert.StartsWith("Usage:\n\tkmod static-nodes [options]\n", result.StdoutText);
        Assert.Contains("\ttmpfiles     the tmpfiles.d(5) format used by systemd-tmpfiles.\n", result.StdoutText);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public void AnOutputThatCannotBeMadeFails()
    {
        File.WriteAllText(Path.Combine(_work.Path, "file"), "");

        var folder = Run(KmodProfile.Kmod34, "-o", "file/x");
        var file = Run(KmodProfile.Kmod34, "-o", ".");

        Assert.Equal("Error: could not create parent directory for file/x - Success.\n", folder.StderrText);
        Assert.Equal("Error: could not create . - Is a directory\n", file.StderrText);
        Assert.Equal((1, 1), (folder.ExitCode, file.ExitCode));
    }
}
