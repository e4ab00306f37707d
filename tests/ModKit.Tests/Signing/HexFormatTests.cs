using ModKit.Signing;

namespace ModKit.Tests.Signing;

public sealed class HexFormatTests
{
    private static byte[] Bytes(int count) => [.. Enumerable.Range(0, count).Select(i => (byte)(i * 13 + 1))];

    [Fact]
    public void Empty_input_gives_empty_text() => Assert.Equal("", HexFormat.Format([]));

    [Fact]
    public void Bytes_are_uppercase_and_colon_separated() =>
        Assert.Equal("00:0A:FF:5D", HexFormat.Format([0x00, 0x0A, 0xFF, 0x5D]));

    [Theory]
    [InlineData(1, 0)]
    [InlineData(20, 0)]
    [InlineData(21, 1)]
    [InlineData(40, 1)]
    [InlineData(41, 2)]
    [InlineData(512, 25)]
    public void A_line_break_follows_every_20th_byte_when_more_follow(int count, int breaks)
    {
        string text = HexFormat.Format(Bytes(count));
        Assert.Equal(breaks, text.Split("\n\t\t").Length - 1);
        Assert.Equal(count * 3 - 1 + breaks * 3, text.Length);
        Assert.DoesNotContain("\n", text.Replace(":\n\t\t", ":"));
        Assert.False(text.EndsWith(':'));
    }

    [Fact]
    public void Layout_matches_kmod()
    {
        string text = HexFormat.Format(Bytes(21));
        string[] lines = text.Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.EndsWith(":", lines[0]);
        Assert.Equal(20 * 3, lines[0].Length);
        Assert.Equal("\t\t" + Bytes(21)[20].ToString("X2"), lines[1]);
    }
}
