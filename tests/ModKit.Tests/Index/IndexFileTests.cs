using System.Text;
using ModKit.Index;

namespace ModKit.Tests.Index;

public class IndexFileTests
{
    /// <summary>docs/index-format.md §9, pre-order layout (kmod ≥ 34).</summary>
    private static readonly byte[] WorkedExamplePreOrder = Hex(
        "B0 07 F4 57 00 02 00 01 20 00 00 0C",
        "65 75 C0 00 00 52" + string.Concat(Enumerable.Repeat(" 00 00 00 00", 15)) + " C0 00 00 5F",
        "78 74 34 00 00 00 00 01 00 00 00 00 00",
        "6E 69 78 00 00 00 00 01 00 00 00 00 00");

    /// <summary>docs/index-format.md §9, post-order layout (kmod ≤ 33, kmod 30).</summary>
    private static readonly byte[] WorkedExamplePostOrder = Hex(
        "B0 07 F4 57 00 02 00 01 20 00 00 26",
        "78 74 34 00 00 00 00 01 00 00 00 00 00",
        "6E 69 78 00 00 00 00 01 00 00 00 00 00",
        "65 75 C0 00 00 0C" + string.Concat(Enumerable.Repeat(" 00 00 00 00", 15)) + " C0 00 00 19");

    public static TheoryData<bool> Layouts => new() { true, false };

    [Fact]
    public void WorkedExampleIsWhatTheTestBuilderWrites()
    {
        Assert.Equal(108, WorkedExamplePreOrder.Length);
        Assert.Equal(108, WorkedExamplePostOrder.Length);
        var builder = new TestIndexBuilder().Add("ext4", "").Add("unix", "");
        Assert.Equal(WorkedExamplePreOrder, builder.Build(preOrder: true));
        Assert.Equal(WorkedExamplePostOrder, builder.Build(preOrder: false));
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void WorkedExampleExactLookups(bool preOrder)
    {
        using var index = IndexFile.FromBytes(preOrder ? WorkedExamplePreOrder : WorkedExamplePostOrder);
        Assert.Equal("", index.Lookup("ext4"));
        Assert.Equal("", index.Lookup("unix"));
        Assert.Null(index.Lookup("ext"));
        Assert.Null(index.Lookup("ext45"));
        Assert.Null(index.Lookup("e"));
        Assert.Null(index.Lookup(""));
        Assert.Null(index.Lookup("vfat"));
        Assert.Equal("", index.Lookup("ext4\0garbage")); // a C string ends at its NUL
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void WorkedExampleDump(bool preOrder)
    {
        using var index = IndexFile.FromBytes(preOrder ? WorkedExamplePreOrder : WorkedExamplePostOrder);
        var writer = new StringWriter();
        index.Dump(writer, "alias ");
        Assert.Equal("alias ext4 \nalias unix \n", writer.ToString());
        Assert.Equal([new IndexEntry("ext4", "", 0), new IndexEntry("unix", "", 0)], index.Enumerate());
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void EmptyIndexHasNoEntries(bool preOrder)
    {
        byte[] bytes = new TestIndexBuilder().Build(preOrder);
        Assert.Equal(Hex("B0 07 F4 57 00 02 00 01 00 00 00 0C"), bytes);
        using var index = IndexFile.FromBytes(bytes);
        Assert.Null(index.Lookup("ext4"));
        Assert.Empty(index.LookupWildcard("ext4"));
        Assert.Empty(index.Enumerate());
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void WildcardKeysMatchAsShellPatterns(bool preOrder)
    {
        var bytes = new TestIndexBuilder()
            .Add("pci:v00008086d*", "intel", 5)
            .Add("pci:v00008086d00001533*", "igb", 3)
            .Add("pci:v0000????d00001533*", "anyvendor", 7)
            .Add("pci:v[0-9]*", "digits", 9)
            .Add("usb:v1234p*", "usbthing", 1)
            .Add("plain", "exact", 2)
            .Build(preOrder);
        using var index = IndexFile.FromBytes(bytes);

        Assert.Equal(
            [new IndexValue("igb", 3), new IndexValue("intel", 5), new IndexValue("anyvendor", 7), new IndexValue("digits", 9)],
            index.LookupWildcard("pci:v00008086d00001533sv00000000"));
        Assert.Equal([new IndexValue("intel", 5), new IndexValue("digits", 9)], index.LookupWildcard("pci:v00008086d0000AAAA"));
        Assert.Equal([new IndexValue("exact", 2)], index.LookupWildcard("plain"));
        Assert.Empty(index.LookupWildcard("plai"));
        Assert.Empty(index.LookupWildcard("plainer"));
        Assert.Empty(index.LookupWildcard("usb:v1235p0001"));
        Assert.Equal("exact", index.Lookup("plain"));
        Assert.Null(index.Lookup("pci:v00008086d00001533sv00000000")); // exact lookup does not expand patterns
        Assert.Equal("intel", index.Lookup("pci:v00008086d*"));
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void TieOrderFollowsTheChosenKmodReader(bool preOrder)
    {
        // docs/index-format.md §6: builtin aliases added unix, ext4, zzz with priority 0 are stored zzz, ext4, unix.
        var bytes = new TestIndexBuilder()
            .Add("dup_alias", "unix").Add("dup_alias", "ext4").Add("dup_alias", "zzz")
            .Build(preOrder);
        using var index = IndexFile.FromBytes(bytes);

        Assert.Equal(["unix", "ext4", "zzz"], index.LookupWildcard("dup_alias", IndexTieOrder.Mmap).Select(v => v.Value));
        Assert.Equal(["zzz", "ext4", "unix"], index.LookupWildcard("dup_alias", IndexTieOrder.Stdio).Select(v => v.Value));
        Assert.Equal("zzz", index.Lookup("dup_alias", IndexTieOrder.Mmap));
        Assert.Equal("unix", index.Lookup("dup_alias", IndexTieOrder.Stdio));
        Assert.Equal(["zzz", "ext4", "unix"], index.Enumerate(IndexTieOrder.Mmap).Select(e => e.Value));
        Assert.Equal(["unix", "ext4", "zzz"], index.Enumerate(IndexTieOrder.Stdio).Select(e => e.Value));
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void TiesAcrossNodesPutLaterVisitedNodesFirst(bool preOrder)
    {
        // "a*" is searched (as a '*' child of node "a") before node "ab" itself adds its values.
        var bytes = new TestIndexBuilder()
            .Add("a*", "star", 1).Add("a?", "question", 1).Add("ab", "exact", 1).Add("a[b]", "bracket", 0)
            .Build(preOrder);
        using var index = IndexFile.FromBytes(bytes);
        Assert.Equal(["bracket", "exact", "question", "star"], index.LookupWildcard("ab", IndexTieOrder.Mmap).Select(v => v.Value));
        Assert.Equal(["bracket", "exact", "question", "star"], index.LookupWildcard("ab", IndexTieOrder.Stdio).Select(v => v.Value));
    }

    [Fact]
    public void DumpListsKeysInByteOrderWithValuesBeforeLongerKeys()
    {
        var bytes = new TestIndexBuilder()
            .Add("b", "2").Add("a", "1").Add("ab", "3").Add("a", "0", 5).Add("A", "upper").Add("a*", "star")
            .Build(preOrder: false);
        using var index = IndexFile.FromBytes(bytes);
        var writer = new StringWriter();
        index.Dump(writer);
        Assert.Equal("A upper\na 1\na 0\na* star\nab 3\nb 2\n", writer.ToString());
    }

    [Fact]
    public void ByteDumpCopiesKeysAndValuesAsTheFileHasThem()
    {
        // kmod writes the index's bytes: a key that is not UTF-8 comes out unchanged.
        byte[] bytes = (byte[])WorkedExamplePreOrder.Clone();
        bytes[Array.IndexOf(bytes, (byte)'t')] = 0xFF;
        using var index = IndexFile.FromBytes(bytes);
        var output = new MemoryStream();
        index.Dump(output, "alias ");
        Assert.Equal([.. "alias ex"u8, 0xFF, .. "4 \nalias unix \n"u8], output.ToArray());
    }

    [Theory]
    [InlineData(IndexTieOrder.Mmap)]
    [InlineData(IndexTieOrder.Stdio)]
    public void ByteDumpListsWhatEnumerateLists(IndexTieOrder order)
    {
        var bytes = new TestIndexBuilder()
            .Add("a", "1").Add("a", "0", 5).Add("a", "2").Add("a", "3", 5).Add("b", "x", 2).Add("b", "y", 1).Add("ba", "z")
            .Build(preOrder: true);
        using var index = IndexFile.FromBytes(bytes);
        var output = new MemoryStream();
        index.Dump(output, "p ", order);
        string expected = string.Concat(index.Enumerate(order).Select(e => $"p {e.Key} {e.Value}\n"));
        Assert.Equal(expected, Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public void TryOpenReportsWhatKmodReports()
    {
        string directory = Directory.CreateTempSubdirectory("modkit-index-").FullName;
        try
        {
            Assert.False(IndexFile.TryOpen(Path.Combine(directory, "missing.bin"), out var index, out int error));
            Assert.Null(index);
            Assert.Equal(Errno.ENOENT, error);

            string empty = Path.Combine(directory, "empty.bin");
            File.WriteAllBytes(empty, []);
            Assert.False(IndexFile.TryOpen(empty, out _, out error));
            Assert.Equal(Errno.EINVAL, error);

            string foreign = Path.Combine(directory, "foreign.bin");
            File.WriteAllBytes(foreign, Hex("B0 07 FA 57 00 02 00 01 00 00 00 0C"));
            Assert.False(IndexFile.TryOpen(foreign, out _, out error));
            Assert.Equal(Errno.EINVAL, error);

            string version3 = Path.Combine(directory, "v3.bin");
            File.WriteAllBytes(version3, Hex("B0 07 F4 57 00 03 00 01 00 00 00 0C"));
            Assert.False(IndexFile.TryOpen(version3, out _, out error));
            Assert.Equal(Errno.EINVAL, error);

            Assert.False(IndexFile.TryOpen(directory, out _, out error));
            Assert.Equal(Errno.EISDIR, error);

            string good = Path.Combine(directory, "good.bin");
            File.WriteAllBytes(good, WorkedExamplePostOrder);
            Assert.True(IndexFile.TryOpen(good, out index, out error));
            using (index)
            {
                Assert.Equal(0, error);
                Assert.Equal("", index.Lookup("unix"));
            }

            var thrown = Assert.Throws<ModuleFormatException>(() => IndexFile.Open(empty));
            Assert.Equal(Errno.EINVAL, thrown.ErrorNumber);
            Assert.Throws<FileNotFoundException>(() => IndexFile.Open(Path.Combine(directory, "missing.bin")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void DisposedIndexThrows()
    {
        var index = IndexFile.FromBytes(WorkedExamplePostOrder);
        index.Dispose();
        Assert.Throws<ObjectDisposedException>(() => index.Lookup("ext4"));
    }

    internal static byte[] Hex(params string[] parts) =>
        Convert.FromHexString(string.Concat(parts).Replace(" ", ""));
}
