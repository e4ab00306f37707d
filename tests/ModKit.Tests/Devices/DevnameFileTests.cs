using System.Buffers;
using System.Text;
using ModKit.Devices;

namespace ModKit.Tests.Devices;

/// <summary>
/// modules.devname read as static-nodes' fgets and sscanf("%s %s %c%u:%u") read it; the differential tests
/// (StaticNodesDifferentialTests) hold these against kmod itself.
/// </summary>
public class DevnameFileTests
{
    [Fact]
    public void ReadsDebiansLines()
    {
        var lines = DevnameFile.Parse("# Device nodes to trigger on-demand module loading.\nfuse fuse c10:229\ntun net/tun c10:200\nloop loop-control c10:237\n"u8);

        Assert.Equal(3, lines.Count);
        var tun = lines[1].Node!;
        Assert.Equal("tun", Encoding.ASCII.GetString(tun.Module));
        Assert.Equal("net/tun", Encoding.ASCII.GetString(tun.Name));
        Assert.Equal(DeviceNodeType.Character, tun.Type);
        Assert.Equal((10u, 200u), (tun.Major, tun.Minor));
        Assert.Equal("tun net/tun c10:200\n", Encoding.ASCII.GetString(lines[1].Text));
    }

    [Theory]
    [InlineData("a b c1:2", 1u, 2u)]
    [InlineData("a b b 3: 4 trailing words", 3u, 4u)]
    [InlineData("\t a \v b \f c \r 5:6\r\n", 5u, 6u)]
    [InlineData("a b c-1:+2", 4294967295u, 2u)]
    [InlineData("a b c4294967296:4294967297", 0u, 1u)]
    [InlineData("a b c99999999999:1", 1215752191u, 1u)]
    [InlineData("a b c-99999999999:1", 3079215105u, 1u)]
    [InlineData("a b c99999999999999999999999:-99999999999999999999999", 4294967295u, 4294967295u)]
    [InlineData("a b c1:2junk", 1u, 2u)]
    public void NumbersAreReadAsScanfReadsThem(string line, uint major, uint minor)
    {
        var node = Assert.Single(DevnameFile.Parse(Encoding.ASCII.GetBytes(line))).Node;
        Assert.NotNull(node);
        Assert.Equal((major, minor), (node.Major, node.Minor));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("   \n")]
    [InlineData("bad\n")]
    [InlineData("a b\n")]
    [InlineData("a b c\n")]
    [InlineData("a b z1:2\n")]
    [InlineData("a b C1:2\n")]
    [InlineData("a b c1\n")]
    [InlineData("a b c1:\n")]
    [InlineData("a b c:1\n")]
    [InlineData("a b c1 :2\n")]
    [InlineData("a b cc1:2\n")]
    [InlineData("a b c+-1:2\n")]
    [InlineData("a b c0x10:1\n")]
    public void MalformedLinesAreKeptWithoutANode(string line)
    {
        var lines = DevnameFile.Parse(Encoding.ASCII.GetBytes(line + "ok ok c1:1\n"));
        if (line.Length == 0)
        {
            Assert.Single(lines);
            return;
        }

        Assert.Equal(2, lines.Count);
        Assert.Null(lines[0].Node);
        Assert.Equal(line, Encoding.ASCII.GetString(lines[0].Text));
        Assert.NotNull(lines[1].Node);
    }

    [Fact]
    public void LinesEndAtTheirFirstNul()
    {
        var lines = DevnameFile.Parse("a b c1:2\0junk\n\0abc\n#\0\nx\0y c1:2\nnoeol y"u8);

        Assert.Equal(4, lines.Count);
        Assert.Equal("a b c1:2", Encoding.ASCII.GetString(lines[0].Text));
        Assert.NotNull(lines[0].Node);
        Assert.Empty(lines[1].Text);
        Assert.Equal("x", Encoding.ASCII.GetString(lines[2].Text));
        Assert.Equal("noeol y", Encoding.ASCII.GetString(lines[3].Text));
        Assert.All(lines.Skip(1), line => Assert.Null(line.Node));
    }

    [Fact]
    public void LongLinesAreReadInPiecesOfTheBuffersSize()
    {
        // A comment's second piece is no comment; a line of exactly LineLength bytes leaves its newline for the next read.
        string comment = "#" + new string('x', 5000) + "\n";
        string exact = new string('z', DevnameFile.LineLength) + "\n";
        var lines = DevnameFile.Parse(Encoding.ASCII.GetBytes(comment + exact));

        Assert.Equal(3, lines.Count);
        Assert.Equal(5001 - DevnameFile.LineLength + 1, lines[0].Text.Length);
        Assert.Equal(DevnameFile.LineLength, lines[1].Text.Length);
        Assert.Equal("\n", Encoding.ASCII.GetString(lines[2].Text));
    }

    [Fact]
    public void OpenReportsAMissingFileAndReadsAFolderAsEmpty()
    {
        Assert.Equal(Errno.ENOENT, DevnameFile.Open("/nonexistent/modules.devname", out var missing));
        Assert.Null(missing);

        Assert.Equal(0, DevnameFile.Open("/", out var folder));
        using (folder)
        {
            Assert.Empty(folder!.ReadLines());
        }
    }

    [Theory]
    [InlineData("human", "Module: tun\n\tDevice node: /dev/net/tun\n\t\tType: character device\n\t\tMajor: 10\n\t\tMinor: 200\n")]
    [InlineData("tmpfiles", "d /dev/net 0755 - - -\nc! /dev/net/tun 0600 - - - 10:200\n")]
    [InlineData("devname", "tun net/tun c10:200\n")]
    public void WritesTheThreeFormats(string name, string expected)
    {
        var node = DevnameFile.Parse("tun net/tun c10:200\n"u8)[0].Node!;
        var output = new ArrayBufferWriter<byte>();
        StaticNodeWriter.Write(output, node, StaticNodeWriter.FromName(name)!.Value);
        Assert.Equal(expected, Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void BlockDevicesAndFormatNames()
    {
        var node = DevnameFile.Parse("sd dir/sub/sda b8:0\n"u8)[0].Node!;
        var output = new ArrayBufferWriter<byte>();
        StaticNodeWriter.Write(output, node, StaticNodeFormat.Human);
        StaticNodeWriter.Write(output, node, StaticNodeFormat.Tmpfiles);
        Assert.Contains("Type: block device", Encoding.ASCII.GetString(output.WrittenSpan));
        Assert.Contains("d /dev/dir/sub 0755 - - -\nb! /dev/dir/sub/sda", Encoding.ASCII.GetString(output.WrittenSpan));
        Assert.Null(StaticNodeWriter.FromName("Human"));
        Assert.Null(StaticNodeWriter.FromName("hum"));
    }
}
