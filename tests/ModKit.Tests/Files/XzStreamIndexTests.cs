using ModKit.Files;

namespace ModKit.Tests.Files;

public sealed class XzStreamIndexTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(300_000)]
    public void DeclaredSize_IsReadFromTheIndex(int size)
    {
        var data = new byte[size];
        new Random(size).NextBytes(data.AsSpan(0, size / 2));
        byte[] xz = CompressionTool.CompressFile(data, "xz", "--check=crc32", "--lzma2=dict=1MiB", "--block-size=100000");

        Assert.Equal(size, Read(xz));
    }

    [Fact]
    public void ForeignTails_AreNoHint()
    {
        byte[] xz = CompressionTool.CompressFile(new byte[1000], "xz");
        Assert.Null(Read(xz[..^1]));
        Assert.Null(Read([.. xz, 0, 0, 0, 0]));
        Assert.Null(Read(new byte[3]));
    }

    private static long? Read(byte[] contents)
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, contents);
            using var handle = File.OpenHandle(path);
            using var input = new CompressedInput(handle);
            return XzStreamIndex.TryReadUncompressedSize(input);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
