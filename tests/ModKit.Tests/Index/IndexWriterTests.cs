using System.Text;
using ModKit.Index;
using ModKit.Tests.Support;

namespace ModKit.Tests.Index;

public sealed class IndexWriterTests
{
    private static readonly string[] KmodIndexes =
        ["modules.dep.bin", "modules.alias.bin", "modules.symbols.bin", "modules.builtin.bin", "modules.builtin.alias.bin"];

    [Fact]
    public void WorkedExample_PostOrder_MatchesTheSpecification()
    {
        var writer = new IndexWriter();
        writer.Add("ext4", "", 0);
        writer.Add("unix", "", 0);
        byte[] bytes = writer.ToArray(IndexLayout.PostOrder);

        Assert.Equal(108, bytes.Length);
        Assert.Equal(Convert.FromHexString("B007F457000200012000002678743400000000010000000000"), bytes[..25]);
        Assert.Equal(Convert.FromHexString("6575C000000C"), bytes[0x26..0x2C]);
        Assert.Equal(Convert.FromHexString("C0000019"), bytes[0x68..0x6C]);
    }

    [Fact]
    public void WorkedExample_PreOrder_MatchesTheSpecification()
    {
        var writer = new IndexWriter();
        writer.Add("unix", "", 0);
        writer.Add("ext4", "", 0);
        byte[] bytes = writer.ToArray(IndexLayout.PreOrder);

        Assert.Equal(108, bytes.Length);
        Assert.Equal(Convert.FromHexString("B007F457000200012000000C6575C0000052"), bytes[..18]);
        Assert.Equal(Convert.FromHexString("C000005F787434000000000100000000006E697800000000010000000000"), bytes[0x4E..]);
    }

    [Fact]
    public void EmptyIndex_IsAHeaderWhoseRootIsAnEmptyNode()
    {
        byte[] bytes = new IndexWriter().ToArray();

        Assert.Equal(Convert.FromHexString("B007F457000200010000000C"), bytes);
        Assert.Empty(IndexFile.FromBytes(bytes).Enumerate());
    }

    [Theory]
    [InlineData(IndexLayout.PostOrder)]
    [InlineData(IndexLayout.PreOrder)]
    public void RoundTrip_ReaderFindsEveryValueInPriorityOrder(IndexLayout layout)
    {
        var random = new Random(3);
        var expected = new Dictionary<string, List<(uint Priority, string Value)>>();
        var writer = new IndexWriter();
        for (int n = 0; n < 3000; n++)
        {
            string key = RandomText(random, random.Next(0, 12));
            string value = RandomText(random, random.Next(0, 6));
            uint priority = (uint)random.Next(0, 8);
            writer.Add(key, value, priority);
            var values = expected.TryGetValue(key, out var list) ? list : expected[key] = [];
            int at = values.FindIndex(v => v.Priority >= priority);
            values.Insert(at < 0 ? values.Count : at, (priority, value));
        }

        using var index = IndexFile.FromBytes(writer.ToArray(layout));
        var actual = index.Enumerate(IndexTieOrder.Mmap).GroupBy(e => e.Key)
            .ToDictionary(g => g.Key, g => g.Select(e => (e.Priority, e.Value)).ToList());
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), index.Enumerate().Select(e => e.Key).Distinct());
        foreach (var (key, values) in expected)
        {
            Assert.Equal(values, actual[key]);
            Assert.Equal(values[0].Value, index.Lookup(key));
        }
    }

    [Fact]
    public void PreAndPostOrder_HaveTheSameSizeAndContent()
    {
        var writer = new IndexWriter();
        foreach (string key in new[] { "abcd", "ab", "abce", "b", "", "abc" })
            writer.Add(key, key + "!", 1);

        byte[] post = writer.ToArray(IndexLayout.PostOrder);
        byte[] pre = writer.ToArray(IndexLayout.PreOrder);

        Assert.Equal(post.Length, pre.Length);
        Assert.NotEqual(post, pre);
        Assert.Equal(IndexFile.FromBytes(post).Enumerate(), IndexFile.FromBytes(pre).Enumerate());
    }

    [Fact]
    public void EqualPriorities_NewestFirst_AndDuplicatesReported()
    {
        var writer = new IndexWriter();
        Assert.False(writer.Add("dup_alias", "unix", 0));
        Assert.False(writer.Add("dup_alias", "ext4", 0));
        Assert.False(writer.Add("dup_alias", "zzz", 0));
        Assert.True(writer.Add("dup_alias", "ext4", 5));

        using var index = IndexFile.FromBytes(writer.ToArray());
        Assert.Equal(["zzz", "ext4", "unix", "ext4"], index.Enumerate().Select(e => e.Value));
        Assert.Equal(4, writer.Count);
    }

    [Fact]
    public void NonAscii_IsRefusedWithKmodsMessage()
    {
        var writer = new IndexWriter();
        var error = Assert.Throws<IndexCharacterException>(() => writer.Add("usb:caf\u00e9", "mod", 0));

        Assert.Equal(0xC3, error.Character);
        Assert.Equal("Module index: bad character '\u00c3'=0xc3 - only 7-bit ASCII is supported:\nusb:caf\u00c3\u00a9\n",
            Encoding.Latin1.GetString(error.KmodMessage()));
        Assert.Throws<IndexCharacterException>(() => writer.Add("key", "m\u00f6d", 0));
        Assert.Throws<ArgumentException>(() => writer.Add("a\0b", "mod", 0));
        Assert.Equal(0, writer.Count);
    }

    [Fact]
    public void NonAscii_OutsideChildTables_IsStoredWhenAllowed_ButNeverAsAChildCharacter()
    {
        var writer = new IndexWriter { AllowNonAsciiOutsideChildTables = true };
        writer.Add("caf\u00e9", "m\u00f6d", 1);
        writer.Add("cab", "mod", 2);

        // Each of these would branch on a non-ASCII byte (kmod 30 would write outside its child table).
        foreach (string refused in new[] { "caf\u00e8", "\u00e9t\u00e9", "caf", "cafe" })
            Assert.True(Record.Exception(() => writer.Add(refused, "x", 3)) is IndexCharacterException, $"{refused} was not refused");

        using var index = IndexFile.FromBytes(writer.ToArray());
        Assert.Equal([("cab", "mod"), ("caf\u00e9", "m\u00f6d")], index.Enumerate().Select(e => (e.Key, e.Value)));
        Assert.Equal(2, writer.Count);
    }

    /// <summary>
    /// Reads every key, value and priority of the indexes kmod's depmod made for Debian's tree and writes them
    /// again: the result must be kmod's file byte for byte. depmod adds a key's values in ascending module
    /// order and equal priorities end up newest first, so adding each key's values in reverse file order
    /// rebuilds the same value lists.
    /// </summary>
    [Theory]
    [InlineData("modules.dep.bin")]
    [InlineData("modules.alias.bin")]
    [InlineData("modules.symbols.bin")]
    [InlineData("modules.builtin.bin")]
    [InlineData("modules.builtin.alias.bin")]
    public void RewritingKmodsIndexes_ReproducesTheirBytes(string name)
    {
        Assert.Contains(name, KmodIndexes);
        string path = Path.Combine(KernelTree.Instance.ModuleDirectory("plain"), name);
        byte[] kmod = File.ReadAllBytes(path);

        var writer = new IndexWriter();
        using (var index = IndexFile.FromBytes(kmod))
        {
            foreach (var entry in index.Enumerate(IndexTieOrder.Mmap).Reverse())
                writer.Add(entry.Key, entry.Value, entry.Priority);
        }

        Assert.True(kmod.AsSpan().SequenceEqual(writer.ToArray(IndexLayout.PostOrder)), $"{name} differs from kmod's");
    }

    private static string RandomText(Random random, int length)
    {
        const string alphabet = "ab*?[]-_:c";
        var chars = new char[length];
        for (int i = 0; i < length; i++)
            chars[i] = alphabet[random.Next(alphabet.Length)];
        return new string(chars);
    }
}
