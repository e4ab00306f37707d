using System.Diagnostics;
using ModKit.Depmod;
using ModKit.Tests.Support;
using Xunit.Abstractions;

namespace ModKit.Tests.Depmod;

/// <summary>
/// Runs the engine over Debian's module trees (plain, .ko.xz, .ko.zst) and compares every file with the one
/// kmod 30's depmod wrote into the same module directory (scripts/fetch-kernel.sh runs it).
/// </summary>
public sealed class DepmodEngineDifferentialTests(ITestOutputHelper output)
{
    private static readonly string[] KmodFiles =
    [
        "modules.dep", "modules.dep.bin", "modules.alias", "modules.alias.bin", "modules.softdep", "modules.symbols",
        "modules.symbols.bin", "modules.builtin.bin", "modules.builtin.alias.bin", "modules.devname",
    ];

    [Theory]
    [InlineData("plain")]
    [InlineData("xz")]
    [InlineData("zst")]
    public void EveryOutput_IsByteIdenticalToKmods(string kind)
    {
        string directory = KernelTree.Instance.ModuleDirectory(kind);
        var messages = new List<string>();
        var clock = Stopwatch.StartNew();
        var result = DepmodEngine.Run(new DepmodSettings(directory) { Log = (level, text) => messages.Add($"{level}: {text}") });
        var outputs = result.GetOutputs(KmodProfile.Kmod30).ToList();
        output.WriteLine($"{kind}: {result.Modules.Count} modules in {clock.ElapsedMilliseconds} ms");

        Assert.Empty(messages);
        Assert.Empty(result.ModulesInCycles);
        Assert.Equal(KmodFiles, outputs.Select(o => o.Name));
        foreach (var file in outputs)
        {
            byte[] expected = File.ReadAllBytes(Path.Combine(directory, file.Name));
            Assert.True(expected.AsSpan().SequenceEqual(file.Contents), $"{kind}: {file.Name} differs from kmod's ({file.Contents.Length} vs {expected.Length} bytes)");
        }
    }
}
