using System.Buffers.Binary;
using System.Diagnostics;
using ModKit.Index;

namespace ModKit.Tests.Index;

/// <summary>Malformed and hostile index files: only <see cref="ModuleFormatException"/>, never a hang.</summary>
public class HostileIndexTests
{
    private static readonly string[] SampleKeys =
        ["ext4", "unix", "pci:v00008086d00001533", "pci:v*", "usb:v1234p5678", "a", "", "symbol:printk", "zz*", "?", "[", "\u00e9"];

    /// <summary>Opens and queries an index; anything but a <see cref="ModuleFormatException"/> fails the test.</summary>
    internal static void Exercise(ReadOnlyMemory<byte> bytes, IEnumerable<string> keys)
    {
        var stopwatch = Stopwatch.StartNew();
        IndexFile index;
        try
        {
            index = IndexFile.FromBytes(bytes);
        }
        catch (ModuleFormatException)
        {
            return;
        }

        using (index)
        {
            foreach (string key in keys.Concat(SampleKeys))
            {
                Tolerate(() => index.Lookup(key, IndexTieOrder.Mmap));
                Tolerate(() => index.Lookup(key, IndexTieOrder.Stdio));
                Tolerate(() => index.LookupWildcard(key, IndexTieOrder.Mmap));
                Tolerate(() => index.LookupWildcard(key, IndexTieOrder.Stdio));
            }

            Tolerate(() => index.Enumerate(IndexTieOrder.Mmap).Count());
            Tolerate(() => index.Enumerate(IndexTieOrder.Stdio).Count());
        }

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"a hostile index took {stopwatch.Elapsed}");
    }

    private static void Tolerate(Func<object?> operation)
    {
        try
        {
            operation();
        }
        catch (ModuleFormatException)
        {
        }
    }

    private static byte[] Sample(bool preOrder)
    {
        var builder = new TestIndexBuilder();
        var random = new Random(42);
        for (int i = 0; i < 60; i++)
            builder.Add($"pci:v{random.Next(0x10000):X8}d*", $"mod{i % 13}", (uint)(i % 7));
        builder.Add("ext4", "").Add("unix", "").Add("usb:v1234p*", "usbmod", 3).Add("a", "x").Add("a", "y").Add("ab[cd]?e", "z", 1);
        return builder.Build(preOrder);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TruncationAtEveryByte(bool preOrder)
    {
        byte[] bytes = Sample(preOrder);
        for (int length = 0; length <= bytes.Length; length++)
            Exercise(bytes.AsMemory(0, length), []);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RandomCorruptions(bool preOrder)
    {
        byte[] original = Sample(preOrder);
        var random = new Random(preOrder ? 1 : 2);
        for (int round = 0; round < 2000; round++)
        {
            byte[] bytes = (byte[])original.Clone();
            for (int flips = random.Next(1, 5); flips > 0; flips--)
            {
                int at = random.Next(bytes.Length);
                bytes[at] = random.Next(3) == 0 ? (byte)(bytes[at] ^ (1 << random.Next(8))) : (byte)random.Next(256);
            }

            Exercise(bytes, []);
        }
    }

    [Fact]
    public void NodeThatIsItsOwnChildIsDetected()
    {
        // Root @12 with CHILDREN: first='*', last='a', slot '*' and slot 'a' both point back to the root.
        var bytes = new byte[12 + 2 + (4 * ('a' - '*' + 1))];
        WriteHeader(bytes, 0x2000000C);
        bytes[12] = (byte)'*';
        bytes[13] = (byte)'a';
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(14), 0x2000000C);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(14 + (4 * ('a' - '*'))), 0x2000000C);
        using var index = IndexFile.FromBytes(bytes);

        Assert.Null(index.Lookup(new string('a', 10000))); // bounded by the key length
        Assert.Throws<ModuleFormatException>(() => index.LookupWildcard("aaa"));
        Assert.Throws<ModuleFormatException>(() => index.Enumerate().Count());
    }

    [Fact]
    public void SharedSubtreesCannotExplode()
    {
        // 30 levels, each node with 128 children all pointing to the next level: 128^30 paths.
        const int levels = 30;
        const int nodeSize = 2 + (4 * 128);
        var bytes = new byte[12 + (levels * nodeSize) + 9];
        WriteHeader(bytes, 0x2000000C);
        for (int level = 0; level < levels; level++)
        {
            int offset = 12 + (level * nodeSize);
            bytes[offset] = 0;
            bytes[offset + 1] = 127;
            uint next = level == levels - 1
                ? 0x40000000u | (uint)(12 + (levels * nodeSize))
                : 0x20000000u | (uint)(offset + nodeSize);
            for (int slot = 0; slot < 128; slot++)
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(offset + 2 + (4 * slot)), next);
        }

        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(12 + (levels * nodeSize)), 1); // one value: priority 0, ""
        using var index = IndexFile.FromBytes(bytes);
        Assert.Equal("", index.Lookup(new string('\u0001', levels))); // well formed along any one path
        var stopwatch = Stopwatch.StartNew();
        Assert.Throws<ModuleFormatException>(() => index.Enumerate().Count());
        Assert.Throws<ModuleFormatException>(() => index.LookupWildcard("*"));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("61 60", "first > last")]
    [InlineData("00 80", "last > 127")]
    public void InvalidChildRangesAreRejected(string range, string because)
    {
        byte[] bytes = new byte[12 + 2 + (4 * 129)];
        WriteHeader(bytes, 0x2000000C);
        IndexFileTests.Hex(range).CopyTo(bytes, 12);
        using var index = IndexFile.FromBytes(bytes);
        Assert.Throws<ModuleFormatException>(() => index.Enumerate().Count());
        _ = because;
    }

    [Fact]
    public void ValueCountsBeyondTheFileAreRejectedWithoutAllocating()
    {
        byte[] bytes = new byte[12 + 4];
        WriteHeader(bytes, 0x4000000C);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(12), 0xFFFFFFFF);
        using var index = IndexFile.FromBytes(bytes);
        Assert.Throws<ModuleFormatException>(() => index.Lookup(""));
    }

    [Theory]
    [InlineData(0x8000000Cu)] // a prefix with no NUL before the end of the file
    [InlineData(0x2FFFFFFFu)] // a node far beyond the end of the file
    [InlineData(0x40000010u)] // a value list starting past the end
    public void NodesRunningPastTheEndAreRejected(uint rootPointer)
    {
        byte[] bytes = [.. new byte[12], .. "abc"u8];
        WriteHeader(bytes, rootPointer);
        using var index = IndexFile.FromBytes(bytes);
        Assert.Throws<ModuleFormatException>(() => index.Lookup("abc"));
        Assert.Throws<ModuleFormatException>(() => index.Enumerate().Count());
    }

    [Fact]
    public void RootPointerToNothingIsAnEmptyIndex()
    {
        byte[] bytes = new byte[12];
        WriteHeader(bytes, 0xE0000000);
        using var index = IndexFile.FromBytes(bytes);
        Assert.Null(index.Lookup("x"));
        Assert.Empty(index.LookupWildcard("x"));
        Assert.Empty(index.Enumerate());
    }

    [Fact]
    public void LargeNodesReadThroughTheFileAgreeWithMemory()
    {
        var builder = new TestIndexBuilder();
        for (int i = 0; i < 4000; i++)
            builder.Add($"key{i:D5}", $"value{i}", (uint)i);
        for (int i = 0; i < 500; i++)
            builder.Add("key00007", $"extra{i}", (uint)(i % 3));
        byte[] bytes = builder.Build(preOrder: false);
        Assert.True(bytes.Length > IndexFile.WholeFileThreshold);

        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, bytes);
            using var fromFile = IndexFile.Open(path);
            using var fromMemory = IndexFile.FromBytes(bytes);
            Assert.Equal(fromMemory.Enumerate(IndexTieOrder.Stdio), fromFile.Enumerate(IndexTieOrder.Stdio));
            Assert.Equal(501, fromFile.LookupWildcard("key00007").Count);
            Assert.Equal("extra498", fromFile.Lookup("key00007", IndexTieOrder.Mmap)); // newest of the priority-0 values
            Assert.Equal("extra0", fromFile.Lookup("key00007", IndexTieOrder.Stdio));
            Assert.Equal("value3999", fromFile.Lookup("key03999"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void WriteHeader(byte[] bytes, uint rootPointer)
    {
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 0xB007F457);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), 0x00020001);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), rootPointer);
    }
}
