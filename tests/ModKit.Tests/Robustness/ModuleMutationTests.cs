using ModKit.Modules;
using ModKit.Tests.Support;
using Xunit.Abstractions;

namespace ModKit.Tests.Robustness;

/// <summary>
/// Thousands of deterministic corruptions of real modules (plain, .ko.xz, .ko.zst) go to the library,
/// which may only succeed or throw <see cref="ModuleFormatException"/>, within a time and allocation
/// bound; and to ModKit's and kmod's modinfo, which must print the same and exit the same.
/// </summary>
public sealed class ModuleMutationTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("modkit-mutations-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string> Samples() => new()
    {
        { "plain", "/kernel/fs/nls/nls_cp437.ko" },
        { "plain", "/kernel/drivers/input/misc/pcspkr.ko" },
        { "plain", "/kernel/net/802/stp.ko" },
        { "xz", "/kernel/fs/nls/nls_cp437.ko.xz" },
        { "zst", "/kernel/drivers/input/misc/pcspkr.ko.zst" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void CorruptedModulesBehaveLikeKmod(string kind, string relative)
    {
        var tree = KernelTree.Instance;
        string source = tree.ModuleDirectory(kind) + relative;
        byte[] original = File.ReadAllBytes(source);
        int? table = null;
        int count = 0;
        if (kind == "plain")
        {
            var elf = ModKit.Elf.ElfFile.Open(new ModKit.IO.MemoryByteSource(original));
            table = (int)BitConverter.ToUInt64(original, 40);
            count = elf.SectionCount;
        }

        string extension = relative[relative.IndexOf(".ko", StringComparison.Ordinal)..];
        var files = new List<string>();
        int n = 0;
        foreach (var (label, data) in Mutations.Of(original, seed: relative.Length, randomCount: kind == "plain" ? 700 : 300, table, 64, count))
        {
            string path = Path.Combine(_dir, $"m{n++:D5}{extension}");
            File.WriteAllBytes(path, data);
            files.Add(path);
            CheckLibrary(path, label);
        }

        Assert.True(files.Count > 500, $"only {files.Count} mutations");
        var comparison = new ModinfoComparison(output) { BatchSize = 200 };
        int differences = comparison.CountDifferences(files, []);
        output.WriteLine($"{files.Count} mutations of {relative}: {differences} differences, kmod crashed on {comparison.KmodCrashes.Count}");
        Assert.Equal(0, differences);
    }

    // The library may only succeed or report a format error; never hang, never allocate without bound.
    private static void CheckLibrary(string path, string label) =>
        Bounded.Run(label, 64L * 1024 * 1024 + 8 * new FileInfo(path).Length, () =>
        {
            ModuleFile.TryGetInfo(path, out _);
            try
            {
                using var file = ModuleFile.Open(path);
                _ = ModKit.Elf.ModuleSymbols.GetExports(file.Elf);
                _ = ModKit.Elf.ModuleSymbols.GetDependencies(file.Elf);
                _ = ModKit.Elf.ModuleSymbols.GetVersions(file.Elf);
            }
            catch (ModuleFormatException)
            {
            }
        });
}
