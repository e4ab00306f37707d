using System.Diagnostics;
using ModKit.Depmod;
using ModKit.Tests.Support;
using Xunit.Abstractions;

namespace ModKit.Tests.Depmod;

/// <summary>
/// Runs the engine over Debian's module trees and compares every file of a profile with the one that kmod
/// release's depmod wrote for the same tree: Debian 12's (plain, .ko.xz, .ko.zst) judged by kmod 30 and by
/// kmod 34.2, Debian 13's (plain, .ko.xz) by kmod 34.2. Each engine run is kept for the next row that needs it.
/// </summary>
public sealed class DepmodEngineDifferentialTests(DepmodEngineDifferentialTests.EngineRuns runs, ITestOutputHelper output)
    : IClassFixture<DepmodEngineDifferentialTests.EngineRuns>
{
    /// <summary>Rows grouped by tree, so that a tree's files stay in the page cache from one row to the next.</summary>
    public static TheoryData<string, string, string> Cases => new()
    {
        { "bookworm", "plain", "30" },
        { "bookworm", "plain", "34" },
        { "bookworm", "xz", "30" },
        { "bookworm", "xz", "34" },
        { "bookworm", "zst", "30" },
        { "bookworm", "zst", "34" },
        { "trixie", "plain", "34" },
        { "trixie", "xz", "34" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryOutput_IsByteIdenticalToKmods(string release, string kind, string kmod)
    {
        var oracle = KmodOracle.Named(kmod);
        var tree = Tree(release);
        var (result, messages, milliseconds) = runs.Get(tree, kind, oracle.Profile);
        output.WriteLine($"{release} {kind} ({oracle.Profile}): {result.Modules.Count} modules in {milliseconds} ms");
        string expectedDirectory = DepmodOracleOutputs.Directory(oracle, tree, kind);

        var outputs = result.GetOutputs(oracle.Profile).ToList();

        Assert.Empty(messages);
        Assert.Empty(result.ModulesInCycles);
        Assert.Equal(DepmodOracleOutputs.FileNames(oracle.Profile), outputs.Select(o => o.Name));
        foreach (var file in outputs)
        {
            byte[] expected = File.ReadAllBytes(Path.Combine(expectedDirectory, file.Name));
            Assert.True(expected.AsSpan().SequenceEqual(file.Contents),
                $"{release} {kind}: {file.Name} differs from {oracle}'s ({file.Contents.Length} vs {expected.Length} bytes)");
        }
    }

    internal static KernelTree Tree(string release) => release == "trixie" ? KernelTree.Trixie : KernelTree.Instance;

    /// <summary>The engine's last run, kept for the next row over the same tree in the same profile (one result at a time).</summary>
    public sealed class EngineRuns
    {
        private readonly Lock _lock = new();
        private (KernelTree Tree, string Kind, KmodProfile Profile, DepmodResult Result, List<string> Messages, long Milliseconds)? _last;

        internal (DepmodResult Result, List<string> Messages, long Milliseconds) Get(KernelTree tree, string kind, KmodProfile profile)
        {
            lock (_lock)
            {
                if (_last is not { } last || last.Tree != tree || last.Kind != kind || last.Profile != profile)
                {
                    _last = null;
                    var messages = new List<string>();
                    var clock = Stopwatch.StartNew();
                    var result = DepmodEngine.Run(new DepmodSettings(tree.ModuleDirectory(kind))
                    {
                        Profile = profile,
                        Log = (level, text) => messages.Add($"{level}: {text}"),
                    });
                    last = (tree, kind, profile, result, messages, clock.ElapsedMilliseconds);
                    _last = last;
                }

                return (last.Result, last.Messages, last.Milliseconds);
            }
        }
    }
}
