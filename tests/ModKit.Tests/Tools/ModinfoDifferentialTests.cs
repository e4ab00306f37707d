using ModKit.Tests.Support;
using Xunit.Abstractions;

namespace ModKit.Tests.Tools;

/// <summary>
/// modinfo against kmod's modinfo on every module of Debian's kernel packages and on lookups by name, alias,
/// builtin and symbol in the directories kmod's depmod indexed: kmod 30 (ModKit's kmod 30 profile) on Debian 12's
/// trees in all three compression forms; kmod 34.2 (the 34 profile) on Debian 13's signed <c>.ko.xz</c> tree and
/// its decompressed copy, and on Debian 12's trees too. Each comparison is byte for byte on stdout and stderr,
/// plus the exit status; modinfo takes hundreds of files a run, so a case costs a few processes.
/// </summary>
public class ModinfoDifferentialTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, string, string> EveryModuleCases()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var kind in KernelTree.Kinds)
        {
            data.Add("30", "bookworm", kind, "");
            data.Add("30", "bookworm", kind, "-0");
            data.Add("30", "bookworm", kind, "-p");
            data.Add("34", "bookworm", kind, "");
        }

        foreach (var flags in new[] { "-a", "-d", "-l", "-n", "-F vermagic", "-F signature", "-F alias", "-F sig_key", "-0 -F depends", "-F parmtype", "-F name", "-F LICENSE" })
        {
            data.Add("30", "bookworm", "plain", flags);
        }

        // Debian 13: every module is signed, so the signature fields are in every output.
        data.Add("34", "trixie", "xz", "");
        data.Add("34", "trixie", "plain", "");
        data.Add("34", "trixie", "plain", "-p");
        data.Add("34", "trixie", "plain", "-0");
        foreach (var flags in new[] { "-F sig_id", "-F signer", "-F sig_key", "-F sig_hashalgo", "-F signature", "-n", "-0 -F depends", "-F name" })
        {
            data.Add("34", "trixie", "plain", flags);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryModuleCases))]
    public void EveryModuleFileMatchesKmod(string release, string suite, string kind, string flags)
    {
        var tree = Tree(suite);
        var files = tree.ModuleFiles(kind);
        Assert.True(files.Count > 3000, $"expected the whole tree, found {files.Count} modules");
        var options = flags.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int differences = CompareInBatches(KmodOracle.Named(release), files, options);
        output.WriteLine($"{files.Count} modules ({suite} {kind}, '{flags}', kmod {release}): {differences} differences");
        Assert.Equal(0, differences);
    }

    public static TheoryData<string, string, string, string> LookupCases()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var kind in KernelTree.Kinds)
        {
            data.Add("30", "bookworm", kind, "names");
        }

        foreach (var what in new[] { "names -m", "aliases", "builtins", "builtins -m", "symbols" })
        {
            data.Add("30", "bookworm", "plain", what);
        }

        data.Add("34", "bookworm", "plain", "names");
        data.Add("34", "bookworm", "plain", "aliases");
        data.Add("34", "trixie", "xz", "names");
        foreach (var what in new[] { "names -m", "aliases", "builtins", "builtins -m", "symbols" })
        {
            data.Add("34", "trixie", "plain", what);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LookupCases))]
    public void LookupsMatchKmod(string release, string suite, string kind, string what)
    {
        var tree = Tree(suite);
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
        int differences = CompareInBatches(KmodOracle.Named(release), keys, options);
        output.WriteLine($"{keys.Count} {what} ({suite} {kind}, kmod {release}): {differences} differences");
        Assert.Equal(0, differences);
    }

    private static KernelTree Tree(string suite) => suite switch
    {
        "bookworm" => KernelTree.Instance,
        "trixie" => KernelTree.Trixie,
        _ => throw new ArgumentException(suite),
    };

    private int CompareInBatches(KmodOracle oracle, IReadOnlyList<string> arguments, IReadOnlyList<string> options)
    {
        var comparison = new ModinfoComparison(output, oracle: oracle);
        int differences = comparison.CountDifferences(arguments, options);
        Assert.Empty(comparison.KmodCrashes);
        return differences;
    }
}
