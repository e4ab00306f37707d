using System.Diagnostics;
using ModKit.Fuzz;
using ModKit.Tests.Support;

namespace ModKit.Tests.Fuzz;

/// <summary>
/// Replays, through the fuzzing harness's own code (fuzz/ModKit.Fuzz/FuzzTargets.cs, compiled in here), every input
/// that ever failed a campaign of fuzz/run.sh (tests/ModKit.Tests/Fuzz/Regressions/TARGET/) and the committed seeds
/// (fuzz/seeds/TARGET/). An input fails as in the campaign: any exception but the parser's documented one; and, for
/// what the campaign's GC heap hard limit and timeout catch, more than 256 MiB allocated or more than 30 s taken.
/// </summary>
public sealed class FuzzRegressionTests : IDisposable
{
    private const long AllocationLimit = 256L << 20;

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (string folder in new[] { "tests/ModKit.Tests/Fuzz/Regressions", "fuzz/seeds" })
        {
            string root = Path.Combine(RepositoryPaths.Root, folder);
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (string dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
            {
                foreach (string file in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
                {
                    data.Add(Path.GetFileName(dir), Path.GetRelativePath(RepositoryPaths.Root, file));
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void InputRunsThroughItsHarness(string target, string file)
    {
        Assert.True(FuzzTargets.All.ContainsKey(target), $"{file}: no fuzz target named '{target}'");
        byte[] input = File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, file));
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        FuzzTargets.Run(target, input);
        clock.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.True(allocated < AllocationLimit, $"{file}: {allocated} bytes allocated");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{file}: took {clock.Elapsed}");
    }

    [Fact]
    public void EveryTargetHasCommittedInputsOrIsSeededFromTheTrees()
    {
        // The text targets' seeds are committed; the binary ones come from the trees (fuzz/make-seeds.sh), so the
        // replay covers at least every text target even before any regression is kept.
        var covered = Inputs().Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        foreach (string target in new[] { "modprobe-conf", "depmod-conf", "cmdline", "modname" })
        {
            Assert.Contains(target, covered);
        }
    }

    public void Dispose() => FuzzTargets.DeleteScratch();
}
