using ModKit.Files;

namespace ModKit.Tests.Files;

public class ModuleDecompressorTests
{
    public enum Maker
    {
        KernelXz,      // scripts/Makefile.modinst: xz --check=crc32 --lzma2=dict=1MiB
        DefaultXz,     // plain `xz` (CRC64, 8 MiB dictionary): what DKMS often produced
        Zstd,          // `zstd file`: the frame header records the content size
        StreamedZstd,  // `... | zstd -c`: no content size in the frame header
        Gzip,          // `gzip -n`
        FastGzip,      // `gzip -1`
    }

    public static TheoryData<Maker> Makers => [.. Enum.GetValues<Maker>()];

    private static readonly Dictionary<Maker, byte[]> Compressed = [];

    private static ModuleCompression KindOf(Maker maker) => maker switch
    {
        Maker.KernelXz or Maker.DefaultXz => ModuleCompression.Xz,
        Maker.Zstd or Maker.StreamedZstd => ModuleCompression.Zstd,
        _ => ModuleCompression.Gzip,
    };

    private static byte[] Make(Maker maker, byte[] data) => maker switch
    {
        Maker.KernelXz => CompressionTool.CompressFile(data, "xz", "--check=crc32", "--lzma2=dict=1MiB"),
        Maker.DefaultXz => CompressionTool.CompressFile(data, "xz"),
        Maker.Zstd => CompressionTool.CompressFile(data, "zstd", "-q"),
        Maker.StreamedZstd => CompressionTool.CompressPipe(data, "zstd", "-q"),
        Maker.Gzip => CompressionTool.CompressFile(data, "gzip", "-n"),
        _ => CompressionTool.CompressFile(data, "gzip", "-n", "-1"),
    };

    private static byte[] CompressedModule(Maker maker)
    {
        lock (Compressed)
        {
            if (!Compressed.TryGetValue(maker, out byte[]? data))
            {
                Compressed[maker] = data = Make(maker, TestData.Module);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Makers))]
    public void RoundTripsThroughFileAndStream(Maker maker)
    {
        byte[] compressed = CompressedModule(maker);
        ModuleCompression kind = KindOf(maker);
        Assert.Equal(kind, ModuleCompressionDetector.Detect(compressed));

        Assert.Equal(TestData.Module, FromStream(compressed, kind));
        Assert.Equal(TestData.Module, FromFile(compressed, kind));
    }

    [Fact]
    public void StreamedZstdReallyHasNoContentSize()
    {
        // Frame header descriptor: bits 7-6 = content size field flag, bit 5 = single segment. Both 0: no size.
        byte descriptor = CompressedModule(Maker.StreamedZstd)[4];
        Assert.Equal(0, descriptor & 0xE0);
        Assert.NotEqual(0, CompressedModule(Maker.Zstd)[4] & 0xE0);
    }

    [Fact]
    public void DecodesConcatenatedXzStreamsWithPadding()
    {
        byte[] first = TestData.Module[..100_000];
        byte[] second = TestData.Module[100_000..];
        byte[] padding = new byte[8]; // xz stream padding: a multiple of four zero bytes
        byte[] file = [.. Make(Maker.KernelXz, first), .. padding, .. Make(Maker.DefaultXz, second)];
        Assert.Equal(TestData.Module, FromStream(file, ModuleCompression.Xz));
    }

    [Fact]
    public void DecodesConcatenatedZstdFrames()
    {
        byte[] file = [.. Make(Maker.Zstd, TestData.Module[..100_000]), .. Make(Maker.StreamedZstd, TestData.Module[100_000..])];
        Assert.Equal(TestData.Module, FromFile(file, ModuleCompression.Zstd));
    }

    [Fact]
    public void DecodesConcatenatedGzipMembers()
    {
        byte[] file = [.. Make(Maker.Gzip, TestData.Module[..100_000]), .. Make(Maker.FastGzip, TestData.Module[100_000..])];
        Assert.Equal(TestData.Module, FromFile(file, ModuleCompression.Gzip));
    }

    [Fact]
    public void IgnoresTrailingGarbageAfterGzipLikeGzread()
    {
        byte[] file = [.. CompressedModule(Maker.Gzip), .. "garbage"u8, 0x1F];
        Assert.Equal(TestData.Module, FromStream(file, ModuleCompression.Gzip));
    }

    [Theory]
    [InlineData(ModuleCompression.Xz)]
    [InlineData(ModuleCompression.Zstd)]
    public void RejectsTrailingGarbageAfterXzAndZstd(ModuleCompression kind)
    {
        byte[] compressed = CompressedModule(kind == ModuleCompression.Xz ? Maker.KernelXz : Maker.Zstd);
        byte[] file = [.. compressed, .. "garbage!"u8];
        AssertInvalid(file, kind);
    }

    [Theory]
    [MemberData(nameof(Makers))]
    public void TruncatedFileIsInvalidArgumentOrForZstdAPrefix(Maker maker)
    {
        byte[] compressed = CompressedModule(maker);
        ModuleCompression kind = KindOf(maker);
        foreach (int length in CutPoints(compressed.Length))
        {
            byte[] cut = compressed[..length];
            if (kind != ModuleCompression.Zstd)
            {
                AssertInvalid(cut, kind);
                continue;
            }

            // kmod 30 keeps what zstd decoded before the end of the file; the ELF checks judge the rest.
            byte[] prefix = Guarded(() => FromStream(cut, kind));
            Assert.True(TestData.Module.AsSpan().StartsWith(prefix), $"cut at {length}: not a prefix");
            if (length < compressed.Length - 4)
            {
                Assert.True(prefix.Length < TestData.Module.Length, $"cut at {length} decoded everything");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Makers))]
    public void CorruptedFileFailsOnlyWithModuleFormatException(Maker maker)
    {
        byte[] compressed = CompressedModule(maker);
        ModuleCompression kind = KindOf(maker);
        var random = new Random(42 + (int)maker);
        int rejected = 0;
        for (int trial = 0; trial < 60; trial++)
        {
            byte[] bad = (byte[])compressed.Clone();
            int position = trial < 20 ? trial : random.Next(bad.Length); // the headers, then anywhere
            bad[position] ^= (byte)random.Next(1, 256);
            try
            {
                byte[] result = Guarded(() => FromStream(bad, kind, limit: 4 * TestData.Module.Length));
                Assert.True(result.Length <= 4 * TestData.Module.Length);
            }
            catch (ModuleFormatException e)
            {
                Assert.Equal(Errno.EINVAL, e.ErrorNumber);
                rejected++;
            }
        }

        // Every format carries a checksum (CRC32 for xz and gzip, XXH64 from the zstd CLI), so most
        // corruptions must be caught; a few header bytes (gzip's mtime, OS) are legitimately free.
        Assert.True(rejected >= 40, $"only {rejected} of 60 corruptions were detected");
    }

    [Fact]
    public void EmptyInput()
    {
        AssertInvalid([], ModuleCompression.Xz);
        AssertInvalid([], ModuleCompression.Gzip);
        Assert.Empty(FromStream([], ModuleCompression.Zstd)); // kmod 30: nothing decoded, then ENOEXEC from ELF
        Assert.Empty(FromFile([], ModuleCompression.None));
    }

    [Fact]
    public void MagicOnlyFiles()
    {
        // kmod 30: `modinfo` on a 6-byte xz magic says "Invalid argument"; on a 6-byte zstd start it decodes
        // nothing and the ELF check says "Exec format error".
        AssertInvalid([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], ModuleCompression.Xz);
        Assert.Empty(FromStream([0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x00], ModuleCompression.Zstd));
        AssertInvalid([0x28, 0xB5, 0x2F, 0xFD, .. "garbagegarbage"u8], ModuleCompression.Zstd);
        AssertInvalid([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00], ModuleCompression.Gzip);
        AssertInvalid([0x1F, 0x8B, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x03, 0x00], ModuleCompression.Gzip);
    }

    [Theory]
    [MemberData(nameof(Makers))]
    public void OutputBeyondTheLimitIsFileTooLarge(Maker maker)
    {
        // A small "zip bomb": 3 MiB of zeros compress to a few hundred bytes.
        byte[] zeros = new byte[3 << 20];
        byte[] bomb = Make(maker, zeros);
        ModuleCompression kind = KindOf(maker);
        Assert.True(bomb.Length < 16 * 1024);

        var e = Assert.Throws<ModuleFormatException>(() => FromStream(bomb, kind, limit: 1 << 20));
        Assert.Equal(Errno.EFBIG, e.ErrorNumber);
        e = Assert.Throws<ModuleFormatException>(() => FromFile(bomb, kind, limit: zeros.Length - 1));
        Assert.Equal(Errno.EFBIG, e.ErrorNumber);
        Assert.Equal(zeros.Length, FromFile(bomb, kind, limit: zeros.Length).Length);
    }

    [Fact]
    public void LimitAppliesToUncompressedFilesToo()
    {
        Assert.Equal(Errno.EFBIG, Assert.Throws<ModuleFormatException>(() => FromFile(new byte[100], ModuleCompression.None, limit: 99)).ErrorNumber);
        Assert.Equal(100, FromFile(new byte[100], ModuleCompression.None, limit: 100).Length);
    }

    [Fact]
    public void DeclaredSizesAreNotTrusted()
    {
        // A gzip trailer claiming 1 GiB - 1 and a zstd header claiming 100 bytes for 300 KiB of data.
        byte[] gzip = (byte[])CompressedModule(Maker.Gzip).Clone();
        BitConverter.GetBytes((1 << 30) - 1).CopyTo(gzip, gzip.Length - 4);
        Assert.Equal(Errno.EINVAL, Assert.Throws<ModuleFormatException>(() => FromFile(gzip, ModuleCompression.Gzip, limit: 1 << 20)).ErrorNumber);

        byte[] twoFrames = [.. Make(Maker.Zstd, new byte[100]), .. CompressedModule(Maker.Zstd)];
        Assert.Equal([.. new byte[100], .. TestData.Module], FromFile(twoFrames, ModuleCompression.Zstd));
    }

    [Fact]
    public void TheSystemLibrariesAreAvailable()
    {
        foreach (ModuleCompression kind in Enum.GetValues<ModuleCompression>())
        {
            Assert.True(ModuleDecompressor.IsSupported(kind), $"{kind} not supported");
        }

        Assert.Equal(1 << 30, ModuleDecompressor.DefaultMaxDecompressedSize);
    }

    [Fact]
    public void StreamIsReadFromItsPosition()
    {
        byte[] compressed = CompressedModule(Maker.Zstd);
        using var stream = new MemoryStream([.. "junk"u8, .. compressed]);
        stream.Position = 4;
        Assert.Equal(TestData.Module, ModuleDecompressor.Decompress(stream, ModuleCompression.Zstd));
    }

    [Fact]
    public void RejectsBadArguments()
    {
        using var stream = new MemoryStream();
        Assert.Throws<ArgumentOutOfRangeException>(() => ModuleDecompressor.Decompress(stream, ModuleCompression.Xz, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModuleDecompressor.Decompress(stream, ModuleCompression.Xz, int.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModuleDecompressor.Decompress(stream, (ModuleCompression)17));
        Assert.Throws<ArgumentNullException>(() => ModuleDecompressor.Decompress((Stream)null!, ModuleCompression.Xz));
    }

    private static IEnumerable<int> CutPoints(int length)
    {
        var points = new SortedSet<int>();
        for (int i = 0; i < 24 && i < length; i++)
        {
            points.Add(i);
            points.Add(length - 1 - i);
        }

        for (int i = 0; i < length; i += Math.Max(1, length / 64))
        {
            points.Add(i);
        }

        return points;
    }

    private static void AssertInvalid(byte[] data, ModuleCompression kind)
    {
        var e = Assert.Throws<ModuleFormatException>(() => Guarded(() => FromStream(data, kind)));
        Assert.True(e.ErrorNumber == Errno.EINVAL, $"errno {e.ErrorNumber} for {data.Length} bytes of {kind}: {e.Message}");
    }

    // Decoding must never hang: a stuck decoder fails the test instead of the whole run.
    private static byte[] Guarded(Func<byte[]> decode)
    {
        Task<byte[]> task = Task.Run(decode);
        if (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20)))
        {
            Assert.Fail("decoding did not finish within 20 s");
        }

        return task.GetAwaiter().GetResult();
    }

    private static byte[] FromStream(byte[] data, ModuleCompression kind, int limit = ModuleDecompressor.DefaultMaxDecompressedSize)
    {
        using var stream = new MemoryStream(data, writable: false);
        return ModuleDecompressor.Decompress(stream, kind, limit);
    }

    private static byte[] FromFile(byte[] data, ModuleCompression kind, int limit = ModuleDecompressor.DefaultMaxDecompressedSize)
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, data);
            using var handle = File.OpenHandle(path);
            return ModuleDecompressor.Decompress(handle, kind, limit);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
