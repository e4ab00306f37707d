using ModKit.Tests.Support;

namespace ModKit.Tests.Faults;

/// <summary>
/// modprobe while depmod replaces the indexes under it: a thread swaps two complete sets of index files (Debian's
/// tree indexed for .ko and for .ko.zst) by rename, as depmod does, while modprobe resolves and plans over and
/// over. Every answer must be one set's whole answer: never a torn read, a mix within one index, or a failure.
/// </summary>
public sealed class IndexRaceTests
{
    private static readonly string[] Indexes = ["modules.dep.bin", "modules.alias.bin", "modules.symbols.bin", "modules.builtin.bin", "modules.builtin.alias.bin", "modules.softdep", "modules.dep"];

    [Fact]
    public void ModprobeNeverSeesATornIndex()
    {
        var tree = KernelTree.Instance;
        using var root = new TempDirectory();
        string directory = Path.Combine(root.Path, "lib", "modules", tree.Release);
        Directory.CreateDirectory(directory);
        string[] kinds = ["plain", "zst"];

        // The module files of both trees, as links (modprobe looks at the files its plans name).
        foreach (string kind in kinds)
        {
            var copy = ProcessRunner.Run("cp", ["-rs", Path.Combine(tree.ModuleDirectory(kind), "kernel"), directory]);
            Assert.True(copy.ExitCode == 0, copy.StderrText);
        }

        var sets = kinds.Select(kind => Indexes.ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(tree.ModuleDirectory(kind), n)))).ToArray();
        Install(directory, sets[0], "init");

        // One name a run: each answer comes from one read of modules.dep.bin (a later name could rightly see a newer file).
        string[] names = ["ext4", "fs-vfat", "snd-hda-intel", "symbol:jbd2_journal_start"];
        string[] Args(string name) => ["-d", root.Path, "-S", tree.Release, "-D", name];
        var expected = names.ToDictionary(n => n, _ => new HashSet<string>());
        foreach (var set in sets)
        {
            Install(directory, set, "expected");
            foreach (string name in names)
            {
                var run = InProcessTool.Run("modprobe", Args(name));
                Assert.True(run.ExitCode == 0 && run.StderrText.Length == 0, run.StderrText);
                expected[name].Add(run.StdoutText);
            }
        }

        Assert.All(expected.Values, answers => Assert.Equal(2, answers.Count));
        using var stop = new CancellationTokenSource();
        int swaps = 0;
        var swapper = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Install(directory, sets[swaps % 2], "swap");
                Interlocked.Increment(ref swaps);
            }
        });
        swapper.Start();

        int runs = 0;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline || runs < 50)
        {
            string name = names[runs % names.Length];
            var run = InProcessTool.Run("modprobe", Args(name));
            Assert.True(run.ExitCode == 0, run.StderrText);
            Assert.True(run.StderrText.Length == 0, run.StderrText);
            Assert.Contains(run.StdoutText, expected[name]);
            runs++;
        }

        stop.Cancel();
        swapper.Join();
        Assert.True(swaps >= 100, $"{swaps} swaps for {runs} runs: the race was not exercised");
    }

    // Each file written beside and renamed over the old one, as depmod does: readers see the old or the new file.
    private static void Install(string directory, Dictionary<string, byte[]> set, string tag)
    {
        foreach (var (name, bytes) in set)
        {
            string temporary = Path.Combine(directory, $"{name}.{tag}.tmp");
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, Path.Combine(directory, name), overwrite: true);
        }
    }
}
