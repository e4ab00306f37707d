using ModKit.Index;
using ModKit.Modules;
using ModKit.Tests.Support;
using Xunit.Abstractions;

namespace ModKit.Tests.Robustness;

/// <summary>
/// Corrupted copies of the real index files (made by kmod's depmod) go to the index reader and to the
/// lookups of modinfo: the reader may only answer or throw <see cref="ModuleFormatException"/>, never
/// hang or allocate without bound; modinfo must print what kmod prints.
/// </summary>
public sealed class IndexMutationTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Keys =
    [
        "ext4", "e1000e", "snd_hda_intel", "unix", "fs-vfat", "pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00",
        "symbol:jbd2_journal_start", "usb:v0BDAp8153d3000dc00dsc00dp00icFFiscFFip00in00", "no_such_module",
    ];

    private readonly string _root = Directory.CreateTempSubdirectory("modkit-index-mutations-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    public static TheoryData<string> Indexes() =>
        [ModuleDirectory.DepIndex, ModuleDirectory.AliasIndex, ModuleDirectory.SymbolIndex, ModuleDirectory.BuiltinIndex, ModuleDirectory.BuiltinAliasIndex];

    [Theory]
    [MemberData(nameof(Indexes))]
    public void CorruptedIndexesNeverCrashTheReader(string index)
    {
        var tree = KernelTree.Instance;
        byte[] original = File.ReadAllBytes(Path.Combine(tree.ModuleDirectory("plain"), index));
        int count = 0;
        foreach (var (label, data) in Mutations.Of(original, seed: index.Length, randomCount: 400))
        {
            count++;
            Bounded.Run($"{index} {label}", 512L * 1024 * 1024, () => LookUpEverything(data));
        }

        output.WriteLine($"{count} mutations of {index}");
        Assert.True(count > 500);
    }

    private static void LookUpEverything(byte[] data)
    {
        IndexFile file;
        try
        {
            file = IndexFile.FromBytes(data);
        }
        catch (ModuleFormatException)
        {
            return;
        }

        using var _ = file;
        foreach (var key in Keys)
        {
            try
            {
                file.Lookup(key, IndexTieOrder.Stdio);
                file.LookupWildcard(key, IndexTieOrder.Mmap);
            }
            catch (ModuleFormatException)
            {
            }
        }

        try
        {
            foreach (var entry in file.Enumerate().Take(200_000))
            {
            }
        }
        catch (ModuleFormatException)
        {
        }
    }

    // Whether the lookups modinfo makes for Keys read only inside the (mutated) index.
    private static bool LookupsStayInsideTheFile(byte[] data)
    {
        try
        {
            using var file = IndexFile.FromBytes(data);
            foreach (var key in Keys)
            {
                Assert.True(ModuleName.TryNormalizeAlias(key, out string normalized));
                file.Lookup(normalized, IndexTieOrder.Stdio);
                file.LookupWildcard(normalized, IndexTieOrder.Stdio);
            }

            return true;
        }
        catch (ModuleFormatException)
        {
            return false;
        }
    }

    // Each mutation gets its own module directory (the other indexes intact, kernel/ linked to the
    // real tree) and the same lookups through kmod's modinfo and ModKit's.
    [Theory]
    [MemberData(nameof(Indexes))]
    public void ModinfoLookupsOverCorruptedIndexesMatchKmod(string index)
    {
        var tree = KernelTree.Instance;
        string real = tree.ModuleDirectory("plain");
        byte[] original = File.ReadAllBytes(Path.Combine(real, index));
        string release = tree.Release;
        string moduleDir = Path.Combine(_root, "lib", "modules", release);
        Directory.CreateDirectory(moduleDir);
        Directory.CreateSymbolicLink(Path.Combine(moduleDir, "kernel"), Path.Combine(real, "kernel"));
        foreach (var name in new[] { ModuleDirectory.DepIndex, ModuleDirectory.AliasIndex, ModuleDirectory.SymbolIndex, ModuleDirectory.BuiltinIndex, ModuleDirectory.BuiltinAliasIndex, BuiltinModInfo.FileName })
        {
            File.Copy(Path.Combine(real, name), Path.Combine(moduleDir, name));
        }

        int differences = 0, hung = 0, crashed = 0, compared = 0, undefined = 0;
        foreach (var (label, data) in Mutations.Of(original, seed: 7, randomCount: 60).Where((_, i) => i % 4 == 0))
        {
            if (!LookupsStayInsideTheFile(data))
            {
                // kmod's stdio index reader does not check its reads: past the end of the file it
                // uses whatever its variables held, or loops forever. Nothing defined to compare.
                undefined++;
                continue;
            }

            File.WriteAllBytes(Path.Combine(moduleDir, index), data);
            var args = new List<string> { "-b", _root, "-k", release, "-F", "filename" };
            args.AddRange(Keys);
            var expected = Kmod.Run("modinfo", args, timeout: TimeSpan.FromSeconds(5));
            var actual = InProcessTool.Run("modinfo", args);
            if (expected.TimedOut)
            {
                hung++; // kmod's stdio index reader loops forever on some truncated nodes
                continue;
            }

            if (expected.ExitCode > 128)
            {
                crashed++;
                continue;
            }

            compared++;
            if (!actual.SameAs(expected))
            {
                differences++;
                if (differences <= 10)
                {
                    output.WriteLine($"DIFF {index} {label}: {actual.DescribeDifference(expected)}");
                }
            }
        }

        output.WriteLine($"{index}: {compared} compared, {differences} differences; {undefined} read outside the file; kmod hung on {hung}, aborted on {crashed}");
        Assert.True(compared > 50);
        Assert.Equal(0, differences);
    }
}
