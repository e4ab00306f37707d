using System.Text.RegularExpressions;
using ModKit.Tests.Support;

namespace ModKit.Tests.Faults;

/// <summary>
/// depmod on a full and on a read-only file system (a small tmpfs of its own, mounted for the test: the suite runs
/// as root), against kmod 30 and kmod 34.2 on the same tree in the same mount: the same messages and exit status,
/// and ModKit leaves the previous indexes complete and readable where kmod, on a full disk, renames a truncated
/// modules.dep over the old one.
/// </summary>
public sealed partial class DepmodFilesystemFaultTests
{
    private static readonly string[] Indexes =
    [
        "modules.dep", "modules.dep.bin", "modules.alias", "modules.alias.bin", "modules.softdep", "modules.symbols",
        "modules.symbols.bin", "modules.builtin.bin", "modules.builtin.alias.bin", "modules.devname",
    ];

    public static TheoryData<string> Releases => ["30", "34"];

    [Theory]
    [MemberData(nameof(Releases))]
    public void FullFilesystem(string release)
    {
        var oracle = KmodOracle.Named(release);
        var (kmod, kmodFiles) = RunInFault(release, full: true, dir => oracle.Run("depmod", ["-b", dir, Release(release)]));
        var (modkit, modkitFiles) = RunInFault(release, full: true, dir => InProcessTool.Run("depmod", ["-b", dir, Release(release)], profile: oracle.Profile));

        Assert.Equal(kmod.ExitCode, modkit.ExitCode);
        Assert.Equal(1, modkit.ExitCode);
        Assert.Equal(Normal(kmod.StderrText), Normal(modkit.StderrText));
        Assert.Equal("depmod: ERROR: Could not create index 'modules.dep'. Output is truncated: No space left on device\n", modkit.StderrText);

        // kmod renamed the truncated file over modules.dep; ModKit left every index as it was, and no temporary file.
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData([])), kmodFiles.After["modules.dep"]);
        Assert.Equal(modkitFiles.Before, modkitFiles.After);
        Assert.Empty(modkitFiles.Leftovers);
    }

    [Theory]
    [MemberData(nameof(Releases))]
    public void ReadOnlyFilesystem(string release)
    {
        var oracle = KmodOracle.Named(release);
        var (kmod, kmodFiles) = RunInFault(release, full: false, dir => oracle.Run("depmod", ["-b", dir, Release(release)]));
        var (modkit, modkitFiles) = RunInFault(release, full: false, dir => InProcessTool.Run("depmod", ["-b", dir, Release(release)], profile: oracle.Profile));

        // kmod reports each file it cannot create and still exits 0.
        Assert.Equal(kmod.ExitCode, modkit.ExitCode);
        Assert.Equal(Normal(kmod.StderrText), Normal(modkit.StderrText));
        Assert.Contains("Read-only file system", modkit.StderrText, StringComparison.Ordinal);
        Assert.Equal(kmodFiles.Before, kmodFiles.After);
        Assert.Equal(modkitFiles.Before, modkitFiles.After);
    }

    private sealed record Files(Dictionary<string, string> Before, Dictionary<string, string> After, string[] Leftovers);

    private static string Release(string release) => release == "30" ? KernelTree.Instance.Release : KernelTree.Trixie.Release;

    // A tmpfs with a small tree (lib/ and crypto/ of Debian's modules) indexed by kmod, then filled to the last
    // byte or remounted read-only, and the tool run on it; the indexes before and after, as hashes.
    private static (ProcessResult Result, Files Files) RunInFault(string release, bool full, Func<string, ProcessResult> depmod)
    {
        var tree = release == "30" ? KernelTree.Instance : KernelTree.Trixie;
        string kind = release == "30" ? "plain" : "xz";
        using var mount = new TmpfsMount(24);
        string moduleDirectory = Path.Combine(mount.Path, "lib", "modules", tree.Release);
        Directory.CreateDirectory(Path.Combine(moduleDirectory, "kernel"));
        foreach (string folder in new[] { "lib", "crypto" })
        {
            ProcessRunner.Run("cp", ["-r", Path.Combine(tree.ModuleDirectory(kind), "kernel", folder), Path.Combine(moduleDirectory, "kernel")]);
        }

        foreach (string file in new[] { "modules.order", "modules.builtin", "modules.builtin.modinfo" })
        {
            File.Copy(Path.Combine(tree.ModuleDirectory(kind), file), Path.Combine(moduleDirectory, file));
        }

        var first = KmodOracle.Named(release).Run("depmod", ["-b", mount.Path, tree.Release]);
        Assert.True(first.ExitCode == 0, first.StderrText);
        var before = Hashes(moduleDirectory);
        if (full)
        {
            mount.Fill();
        }
        else
        {
            mount.RemountReadOnly();
        }

        var result = depmod(mount.Path);
        // The mount's folder differs from run to run: messages name it ROOT.
        result = result with
        {
            Stderr = System.Text.Encoding.UTF8.GetBytes(result.StderrText.Replace(mount.Path, "ROOT", StringComparison.Ordinal)),
        };
        var after = Hashes(moduleDirectory);
        string[] leftovers = [.. Directory.GetFiles(moduleDirectory).Select(Path.GetFileName).Where(n => TemporaryName().IsMatch(n!)).Select(n => n!)];
        return (result, new Files(before, after, leftovers));
    }

    private static Dictionary<string, string> Hashes(string directory) =>
        Indexes.Where(n => File.Exists(Path.Combine(directory, n)))
            .ToDictionary(n => n, n => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(directory, n)))));

    // The temporary names carry the process id and the time.
    private static string Normal(string text) => TemporaryName().Replace(text, "$1.PID.USEC.SEC");

    [GeneratedRegex(@"(modules\.[a-z.]+)\.\d+\.\d+\.\d+")]
    private static partial Regex TemporaryName();
}
