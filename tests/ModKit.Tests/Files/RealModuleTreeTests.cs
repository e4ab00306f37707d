using ModKit.Files;
using ModKit.Tests.Support;

namespace ModKit.Tests.Files;

/// <summary>
/// Decompresses a sample of the real Debian module trees made by scripts/fetch-kernel.sh (compressed with the
/// kernel's own settings) and compares each with the original .ko, byte for byte.
/// </summary>
public class RealModuleTreeTests
{
    private const int SampleSize = 100;

    [Theory]
    [InlineData("xz", ".ko.xz", ModuleCompression.Xz)]
    [InlineData("zst", ".ko.zst", ModuleCompression.Zstd)]
    public void SampleMatchesThePlainModules(string tree, string extension, ModuleCompression expected)
    {
        // Debian 12's current kernel package, whatever its release (scripts/fetch-kernel.sh).
        var kernelTree = KernelTree.Instance;
        string root = kernelTree.CacheDirectory;
        Assert.True(File.Exists(Path.Combine(root, tree + ".done")) && File.Exists(Path.Combine(root, "plain.done")),
            $"the module trees are missing under {root}: run scripts/fetch-kernel.sh");

        string plainDirectory = kernelTree.ModuleDirectory("plain");
        string compressedDirectory = kernelTree.ModuleDirectory(tree);
        string[] all = Directory.GetFiles(compressedDirectory, "*" + extension, SearchOption.AllDirectories);
        Array.Sort(all, StringComparer.Ordinal);
        Assert.True(all.Length >= SampleSize, $"only {all.Length} modules in {compressedDirectory}");

        // An even spread over the sorted tree, always the same files.
        for (int i = 0; i < SampleSize; i++)
        {
            string path = all[(int)((long)i * all.Length / SampleSize)];
            string relative = Path.GetRelativePath(compressedDirectory, path);
            byte[] plain = File.ReadAllBytes(Path.Combine(plainDirectory, ModuleFileName.StripModuleExtension(relative) + ".ko"));

            using var handle = File.OpenHandle(path);
            ModuleCompression kind = ModuleCompressionDetector.Detect(handle);
            Assert.Equal(expected, kind);
            byte[] image = ModuleDecompressor.Decompress(handle, kind);
            Assert.True(plain.AsSpan().SequenceEqual(image), $"{relative} differs from the plain module");
        }
    }
}
