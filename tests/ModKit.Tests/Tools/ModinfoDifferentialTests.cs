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
            "names" => ModuleNames(tree, kind),
            "aliases" => ConcreteAliases(tree, kind),
            "builtins" => BuiltinNames(tree, kind),
            "symbols" => SymbolNames(tree, kind),
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

    private static List<string> ModuleNames(KernelTree tree, string kind) =>
        File.ReadLines(Path.Combine(tree.ModuleDirectory(kind), "modules.dep"))
            .Select(line => Path.GetFileName(line[..line.IndexOf(':')]))
            .Select(file => file[..file.IndexOf('.')])
            .ToList();

    private static List<string> BuiltinNames(KernelTree tree, string kind) =>
        File.ReadLines(Path.Combine(tree.ModuleDirectory(kind), "modules.builtin"))
            .Select(line => Path.GetFileName(line))
            .Select(file => file[..file.IndexOf('.')])
            .ToList();

    private static List<string> SymbolNames(KernelTree tree, string kind) =>
        File.ReadLines(Path.Combine(tree.ModuleDirectory(kind), "modules.symbols"))
            .Where((_, i) => i % 20 == 0)
            .Select(line => line.Split(' ')[1])
            .ToList();

    // Concrete device strings made from the alias patterns (every wildcard replaced), plus the
    // patterns themselves, plus builtin aliases: every second one, to keep the run short.
    private static List<string> ConcreteAliases(KernelTree tree, string kind)
    {
        var result = new List<string>();
        int i = 0;
        foreach (var line in File.ReadLines(Path.Combine(tree.ModuleDirectory(kind), "modules.alias")))
        {
            var parts = line.Split(' ');
            if (parts.Length < 3 || i++ % 2 != 0)
            {
                continue;
            }

            string pattern = parts[1];
            result.Add(pattern.Replace("*", "0A").Replace("?", "1"));
            if (i % 10 == 1)
            {
                result.Add(pattern);
            }
        }

        result.Add("fs-ext4");
        result.Add("crypto-sha256");
        result.Add("no-such-alias");
        result.Add("bad[alias");
        result.Add("bad]alias");
        return result;
    }
}
