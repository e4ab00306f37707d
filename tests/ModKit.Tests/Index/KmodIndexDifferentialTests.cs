using System.Text;
using ModKit.Index;

namespace ModKit.Tests.Index;

/// <summary>Lookups and dumps of the index files kmod's depmod wrote, compared with kmod's own answers.</summary>
public class KmodIndexDifferentialTests(KmodTreeFixture tree) : IClassFixture<KmodTreeFixture>
{
    private const string DumpMarker = "# End of configuration files. Dumping indexes now:\n\n";

    [Fact]
    public void EveryModulesDepLineIsFoundUnderItsModuleName()
    {
        using var index = IndexFile.Open(tree.PathOf("modules.dep.bin"));
        var lines = File.ReadAllLines(tree.PathOf("modules.dep"));
        Assert.True(lines.Length > 3000, $"only {lines.Length} modules");
        foreach (string line in lines)
        {
            string name = ModuleName(line[..line.IndexOf(':')]);
            Assert.Equal(line, index.Lookup(name, IndexTieOrder.Mmap));
            Assert.Equal(line, index.Lookup(name, IndexTieOrder.Stdio));
        }

        Assert.Null(index.Lookup("no_such_module"));
        Assert.Null(index.Lookup(""));
    }

    [Fact]
    public void InMemoryAndNodeByNodeReadsAgree()
    {
        byte[] bytes = File.ReadAllBytes(tree.PathOf("modules.alias.bin"));
        Assert.True(bytes.Length > IndexFile.WholeFileThreshold);
        using var fromFile = IndexFile.Open(tree.PathOf("modules.alias.bin"));
        using var fromMemory = IndexFile.FromBytes(bytes);
        Assert.Equal(fromMemory.Enumerate(), fromFile.Enumerate());
        foreach (string alias in new[] { "pci:v00008086d00001533sv00000000sd00000000bc02sc00i00", "fs-ext4", "net-pf-10" })
            Assert.Equal(fromMemory.LookupWildcard(alias), fromFile.LookupWildcard(alias));
    }

    [Fact]
    public void AliasResolutionMatchesModprobe()
    {
        using var dep = IndexFile.Open(tree.PathOf("modules.dep.bin"));
        using var aliases = IndexFile.Open(tree.PathOf("modules.alias.bin"));
        using var symbols = IndexFile.Open(tree.PathOf("modules.symbols.bin"));
        using var builtin = IndexFile.Open(tree.PathOf("modules.builtin.bin"));
        using var builtinAliases = IndexFile.Open(tree.PathOf("modules.builtin.alias.bin"));

        // kmod_module_new_from_lookup's chain without configuration; modprobe preloads the indexes (mmap reader).
        List<string> Resolve(string given)
        {
            string name = AliasNormalize(given);
            if (!name.Contains(':') && dep.Lookup(name) is not null)
                return [name];
            if (name.StartsWith("symbol:", StringComparison.Ordinal) && symbols.LookupWildcard(name) is { Count: > 0 } bySymbol)
                return [.. bySymbol.Select(v => v.Value)];
            if (aliases.LookupWildcard(name) is { Count: > 0 } byAlias)
                return [.. byAlias.Select(v => v.Value)];
            if (builtin.Lookup(name) is not null)
                return [name];
            return [.. builtinAliases.LookupWildcard(name).Select(v => v.Value)];
        }

        var aliasLines = File.ReadAllLines(tree.PathOf("modules.alias"))
            .Where(l => l.StartsWith("alias ", StringComparison.Ordinal))
            .Select(l => l.Split(' '))
            .ToList();
        var aliasValues = aliasLines.Select(f => f[2]).ToHashSet();
        string sentinel = File.ReadAllLines(tree.PathOf("modules.dep"))
            .Select(l => ModuleName(l[..l.IndexOf(':')]))
            .First(n => !aliasValues.Contains(n));

        var names = new List<string>();
        foreach (var fields in aliasLines)
        {
            string pattern = fields[1];
            names.Add(pattern);
            names.Add(Concretize(pattern, 0));
            names.Add(Concretize(pattern, 1));
        }

        names.AddRange(["symbol:printk", "symbol:usb_register_driver", "symbol:no_such_symbol", "fs-vfat", "crypto-sha256", "nosuchalias"]);
        var patterns = aliasLines.Select(f => f[1]).ToHashSet();
        names = [.. names.Where(n => !n.AsSpan().ContainsAny("-[]") || patterns.Contains(n)).Distinct()];
        Assert.True(names.Count > 20000, $"only {names.Count} names");

        int compared = 0;
        foreach (var batch in names.Chunk(4000))
        {
            var arguments = new List<string> { "-a", "-R" };
            var expected = new List<string>();
            foreach (string name in batch)
            {
                arguments.Add(name);
                arguments.Add(sentinel);
                expected.AddRange(Resolve(name));
                expected.Add(sentinel);
            }

            var (_, stdout, _) = tree.RunModprobe(arguments);
            var actual = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (!expected.SequenceEqual(actual))
                Assert.Fail(DescribeDifference(batch, sentinel, expected, actual));
            compared += batch.Length;
        }

        Assert.Equal(names.Count, compared);
    }

    [Fact]
    public void DumpMatchesModprobeShowConfig()
    {
        var (exit, stdout, stderr) = tree.RunModprobe(["-c"]);
        Assert.True(exit == 0, stderr);
        int marker = stdout.IndexOf(DumpMarker, StringComparison.Ordinal);
        Assert.True(marker >= 0, "modprobe -c printed no index dump");
        string kmodDump = stdout[(marker + DumpMarker.Length)..];

        var ours = new StringWriter();
        using (var aliases = IndexFile.Open(tree.PathOf("modules.alias.bin")))
            aliases.Dump(ours, "alias ", IndexTieOrder.Mmap);
        using (var symbols = IndexFile.Open(tree.PathOf("modules.symbols.bin")))
            symbols.Dump(ours, "alias ", IndexTieOrder.Mmap);

        Assert.True(kmodDump.Length > 1_000_000, $"kmod dumped only {kmodDump.Length} characters");
        Assert.True(kmodDump == ours.ToString(), "dump differs from modprobe -c at character " +
            kmodDump.Zip(ours.ToString()).TakeWhile(p => p.First == p.Second).Count());
    }

    [Fact]
    public void TruncatedRealIndexesFailOnlyWithModuleFormatException()
    {
        foreach (string file in new[] { "modules.builtin.alias.bin", "modules.builtin.bin" })
        {
            byte[] bytes = File.ReadAllBytes(tree.PathOf(file));
            var keys = IndexFile.FromBytes(bytes).Enumerate().Select(e => e.Key).Distinct().Take(40).ToList();
            for (int length = 0; length < bytes.Length; length += file.EndsWith("alias.bin", StringComparison.Ordinal) ? 1 : 7)
                HostileIndexTests.Exercise(bytes.AsMemory(0, length), keys);
        }
    }

    [Fact]
    public void CorruptedRealIndexesFailOnlyWithModuleFormatException()
    {
        byte[] original = File.ReadAllBytes(tree.PathOf("modules.builtin.alias.bin"));
        var keys = IndexFile.FromBytes(original).Enumerate().Select(e => e.Key).Distinct().Take(40).ToList();
        var random = new Random(7);
        for (int round = 0; round < 1500; round++)
        {
            byte[] bytes = (byte[])original.Clone();
            for (int flips = random.Next(1, 6); flips > 0; flips--)
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            HostileIndexTests.Exercise(bytes, keys);
        }
    }

    /// <summary>modname_normalize of a path: the basename up to its first '.', dashes as underscores.</summary>
    private static string ModuleName(string path)
    {
        string name = Path.GetFileName(path);
        int dot = name.IndexOf('.');
        return (dot < 0 ? name : name[..dot]).Replace('-', '_');
    }

    /// <summary>kmod's alias_normalize: dashes become underscores outside bracket expressions.</summary>
    private static string AliasNormalize(string alias)
    {
        var text = new StringBuilder(alias.Length);
        bool inBracket = false;
        foreach (char c in alias)
        {
            inBracket = c == '[' || (inBracket && c != ']');
            text.Append(c == '-' && !inBracket ? '_' : c);
        }

        return text.ToString();
    }

    /// <summary>A concrete string a pattern matches: wildcards replaced one of two ways.</summary>
    private static string Concretize(string pattern, int variant)
    {
        var text = new StringBuilder();
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '*':
                    text.Append(variant == 0 ? "" : "Zq9");
                    break;
                case '?':
                    text.Append(variant == 0 ? '0' : 'A');
                    break;
                case '\\' when i + 1 < pattern.Length:
                    text.Append(pattern[++i]);
                    break;
                case '[':
                    int close = pattern.IndexOf(']', i + 2);
                    if (close < 0)
                    {
                        text.Append(c);
                        break;
                    }

                    string set = pattern[(i + 1)..close];
                    i = close;
                    if (set[0] is '!' or '^')
                        text.Append("Q~_0".First(candidate => !set.Contains(candidate)));
                    else
                        text.Append(variant == 0 ? set[0] : set[^1]);
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }

        return text.ToString();
    }

    private static string DescribeDifference(string[] batch, string sentinel, List<string> expected, string[] actual)
    {
        var expectedGroups = Split(expected, sentinel);
        var actualGroups = Split(actual, sentinel);
        for (int i = 0; i < Math.Min(batch.Length, Math.Min(expectedGroups.Count, actualGroups.Count)); i++)
        {
            if (!expectedGroups[i].SequenceEqual(actualGroups[i]))
                return $"'{batch[i]}': ours [{string.Join(", ", expectedGroups[i])}], modprobe [{string.Join(", ", actualGroups[i])}]";
        }

        return $"outputs differ in length: ours {expected.Count} lines, modprobe {actual.Length}";
    }

    private static List<List<string>> Split(IEnumerable<string> lines, string sentinel)
    {
        var groups = new List<List<string>> { new() };
        foreach (string line in lines)
        {
            if (line == sentinel)
                groups.Add([]);
            else
                groups[^1].Add(line);
        }

        return groups;
    }
}
