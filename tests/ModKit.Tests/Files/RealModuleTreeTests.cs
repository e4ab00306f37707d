using ModKit.Files;

namespace ModKit.Tests.Files;

/// <summary>
/// Decompresses a sample of the real Debian module trees made by scripts/fetch-kernel.sh (compressed with the
/// kernel's own settings) and compares each with the original .ko, byte for byte.
/// </summary>
public class RealModuleTreeTests
{
    private const string Release = "6.1.0-56-amd64";
    private const int SampleSize = 100;

    [Theory]
    [InlineData("xz", ".ko.xz", ModuleCompression.Xz)]
    [InlineData("zst", ".ko.zst", ModuleCompression.Zstd)]
    public void SampleMatchesThePlainModules(string tree, string extension, ModuleCompression expected)
    {
        string cache = Environment.GetEnvironmentVariable("MODKIT_CACHE")
            ?? Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "modkit");
        string root = Path.Combine(cache, Release);
        Assert.True(File.Exists(Path.Combine(root, tree + ".done")) && File.Exists(Path.Combine(root, "plain.done")),
            $"the module trees are missing under {root}: run scripts/fetch-kernel.sh");

        string plainDirectory = Path.Combine(root, "plain", "lib", "modules", Release);
        string compressedDirectory = Path.Combine(root, tree, "lib", "modules", Release);
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
