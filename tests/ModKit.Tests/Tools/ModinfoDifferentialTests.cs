using ModKit.Tests.Support;
using Xunit.Abstractions;

namespace ModKit.Tests.Tools;

/// <summary>
/// modinfo against kmod 30's modinfo on every module of Debian's kernel package, in all three
/// compression forms, and on lookups by name and alias in the directories kmod's depmod indexed.
/// Each comparison is byte for byte on stdout and stderr, plus the exit status.
/// </summary>
public class ModinfoDifferentialTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> EveryModuleCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in KernelTree.Kinds)
        {
            data.Add(kind, "");
            data.Add(kind, "-0");
            data.Add(kind, "-p");
        }

        foreach (var flags in new[] { "-a", "-d", "-l", "-n", "-F vermagic", "-F signature", "-F alias", "-F sig_key", "-0 -F depends", "-F parmtype", "-F name", "-F LICENSE" })
        {
            data.Add("plain", flags);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryModuleCases))]
    public void EveryModuleFileMatchesKmod(string kind, string flags)
    {
        var tree = KernelTree.Instance;
        var files = tree.ModuleFiles(kind);
        Assert.True(files.Count > 3000, $"expected the whole tree, found {files.Count} modules");
        var options = flags.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int differences = CompareInBatches(files, options);
        output.WriteLine($"{files.Count} modules ({kind}, '{flags}'): {differences} differences");
        Assert.Equal(0, differences);
    }

    public static TheoryData<string, string> LookupCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in KernelTree.Kinds)
        {
            data.Add(kind, "names");
        }

        data.Add("plain", "names -m");
        data.Add("plain", "aliases");
        data.Add("plain", "builtins");
        data.Add("plain", "builtins -m");
        data.Add("plain", "symbols");
        return data;
    }

    [Theory]
    [MemberData(nameof(LookupCases))]
    public void LookupsMatchKmod(string kind, string what)
    {
        var tree = KernelTree.Instance;
        var words = what.Split(' ');
        var keys = words[0] switch
        {
            "names" => ModuleTreeKeys.ModuleNames(tree.ModuleDirectory(kind)),
            "aliases" => ModuleTreeKeys.ConcreteAliases(tree.ModuleDirectory(kind)),
            "builtins" => ModuleTreeKeys.BuiltinNames(tree.ModuleDirectory(kind)),
            "symbols" => ModuleTreeKeys.SymbolNames(tree.ModuleDirectory(kind), every: 20),
            _ => throw new ArgumentException(what),
        };
        Assert.NotEmpty(keys);
        var options = new List<string> { "-b", tree.Root(kind), "-k", tree.Release };
        options.AddRange(words.Skip(1));
        int differences = CompareInBatches(keys, options);
        output.WriteLine($"{keys.Count} {what} ({kind}): {differences} differences");
        Assert.Equal(0, differences);
    }

    private int CompareInBatches(IReadOnlyList<string> arguments, IReadOnlyList<string> options)
    {
        var comparison = new ModinfoComparison(output);
        int differences = comparison.CountDifferences(arguments, options);
        Assert.Empty(comparison.KmodCrashes);
        return differences;
    }
}
