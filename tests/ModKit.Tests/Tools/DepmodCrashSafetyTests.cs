using System.Diagnostics;
using ModKit.Index;
using ModKit.Tests.Support;

namespace ModKit.Tests.Tools;

/// <summary>
/// Kills ModKit's depmod (a separate process) at many moments of a run over Debian's tree. Each output file must
/// then be either the complete old file or the complete new one, and kmod's modprobe and ModKit's index reader
/// must still read the directory.
/// </summary>
public sealed class DepmodCrashSafetyTests
{
    private static readonly string[] Outputs =
    [
        "modules.dep", "modules.dep.bin", "modules.alias", "modules.alias.bin", "modules.softdep", "modules.symbols",
        "modules.symbols.bin", "modules.builtin.bin", "modules.builtin.alias.bin", "modules.devname",
    ];

    [Fact]
    public void KilledAtAnyMoment_LeavesEveryFileOldOrNew()
    {
        using var tree = new ModuleTreeCopy("plain");

        // Old contents: kmod's files for the .ko.zst tree (other paths); new contents: kmod's files for this tree.
        string oldSource = KernelTree.Instance.ModuleDirectory("zst");
        var old = Outputs.ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(oldSource, n)));
        var fresh = Outputs.ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(tree.Source, n)));
        foreach (var (name, bytes) in old)
            File.WriteAllBytes(Path.Combine(tree.ModuleDirectory, name), bytes);

        string modkit = Path.Combine(AppContext.BaseDirectory, "ModKit.Cli");
        string modprobe = ProcessRunner.Require("/sbin/modprobe", "/usr/sbin/modprobe", "/usr/bin/modprobe");
        int completed = 0;
        var delays = new[] { 0, 50, 150, 300, 500, 800, 1100, 1500, 2000, 2600, 3300, 4200, 6000 };
        foreach (int delay in delays)
        {
            // The old and new contents are kmod 30's files, so ModKit runs as kmod 30 (the build's default is kmod 34.2).
            var start = new ProcessStartInfo(modkit, ["depmod", "-b", tree.Root, tree.Release])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            start.Environment["MODKIT_KMOD"] = KmodOracle.Kmod30.Profile.Name;
            using (var process = Process.Start(start)!)
            {
                if (!process.WaitForExit(delay))
                    process.Kill();
                process.WaitForExit();
                if (process.ExitCode == 0)
                    completed++;
            }

            foreach (string name in Outputs)
            {
                byte[] now = File.ReadAllBytes(Path.Combine(tree.ModuleDirectory, name));
                Assert.True(now.AsSpan().SequenceEqual(old[name]) || now.AsSpan().SequenceEqual(fresh[name]),
                    $"{name} is neither the old nor the new file after a kill at {delay} ms");
                if (name.EndsWith(".bin", StringComparison.Ordinal) && now.Length > 0)
                {
                    using var index = IndexFile.FromBytes(now);
                    Assert.NotEmpty(index.Enumerate().Take(1));
                }
            }

            var lookup = ProcessRunner.Run(modprobe, ["-d", tree.Root, "-S", tree.Release, "-C", "/dev/null", "--show-depends", "ext4"]);
            Assert.True(lookup.ExitCode == 0, $"modprobe failed after a kill at {delay} ms: {lookup.StderrText}");
            Assert.Contains("ext4.ko", lookup.StdoutText, StringComparison.Ordinal);

            // Start the next run from the old files where this one finished, so every run has work to interrupt.
            foreach (var (name, bytes) in old)
                File.WriteAllBytes(Path.Combine(tree.ModuleDirectory, name), bytes);
        }

        Assert.True(completed > 0, "no run finished; the longest wait is too short for this machine");
    }
}
