using ModKit.Files;

namespace ModKit.Tests.Files;

public class ModuleCompressionDetectorTests
{
    [Theory]
    [InlineData(new byte[] { 0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x00 }, ModuleCompression.Zstd)]
    [InlineData(new byte[] { 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00 }, ModuleCompression.Xz)]
    [InlineData(new byte[] { 0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00 }, ModuleCompression.Gzip)]
    [InlineData(new byte[] { 0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01 }, ModuleCompression.None)]
    [InlineData(new byte[] { 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x01 }, ModuleCompression.None)] // xz magic needs its sixth byte
    [InlineData(new byte[] { 0x28, 0xB5, 0x2F, 0xFE, 0x00, 0x00 }, ModuleCompression.None)]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, ModuleCompression.None)]
    public void RecognisesMagic(byte[] header, ModuleCompression expected)
    {
        Assert.Equal(expected, ModuleCompressionDetector.Detect(header));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void ShortFileIsInvalidArgumentLikeKmod(int length)
    {
        // kmod 30: `modinfo ./short.ko` (3 bytes) -> "could not get modinfo from 'short': Invalid argument",
        // even when the bytes are a complete gzip or zstd magic.
        byte[] header = [.. new byte[] { 0x1F, 0x8B, 0x28, 0xB5, 0x2F }.AsSpan(0, length)];
        var e = Assert.Throws<ModuleFormatException>(() => ModuleCompressionDetector.Detect(header));
        Assert.Equal(Errno.EINVAL, e.ErrorNumber);
    }

    [Fact]
    public void DetectsFromFileWithoutMovingIt()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0x00, 0x04]);
            using var handle = File.OpenHandle(path);
            Assert.Equal(ModuleCompression.Xz, ModuleCompressionDetector.Detect(handle));

            File.WriteAllBytes(path, [0x1F, 0x8B, 0x08]);
            using var shortHandle = File.OpenHandle(path);
            Assert.Equal(Errno.EINVAL, Assert.Throws<ModuleFormatException>(() => ModuleCompressionDetector.Detect(shortHandle)).ErrorNumber);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
