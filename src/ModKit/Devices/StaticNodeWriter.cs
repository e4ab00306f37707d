using System.Buffers;
using System.Globalization;

namespace ModKit.Devices;

/// <summary>Writes device nodes in the forms of <c>kmod static-nodes</c> (<see cref="StaticNodeFormat"/>).</summary>
public static class StaticNodeWriter
{
    /// <summary>The formats' names as <c>--format</c> takes them, in the order kmod's help lists them.</summary>
    public static IReadOnlyList<(string Name, StaticNodeFormat Format)> Names { get; } =
    [
        ("human", StaticNodeFormat.Human),
        ("tmpfiles", StaticNodeFormat.Tmpfiles),
        ("devname", StaticNodeFormat.Devname),
    ];

    /// <summary>The format called <paramref name="name"/> (exactly, no abbreviations), if any.</summary>
    /// <param name="name">A name from <see cref="Names"/>.</param>
    /// <returns>The format, or <see langword="null"/>.</returns>
    public static StaticNodeFormat? FromName(string name)
    {
        foreach (var (known, format) in Names)
        {
            if (known == name)
            {
                return format;
            }
        }

        return null;
    }

    /// <summary>Appends one node in <paramref name="format"/>.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="node">The node.</param>
    /// <param name="format">The form.</param>
    public static void Write(IBufferWriter<byte> output, DeviceNode node, StaticNodeFormat format)
    {
        ReadOnlySpan<byte> type = [(byte)node.Type];
        switch (format)
        {
            case StaticNodeFormat.Human:
                output.Write("Module: "u8);
                output.Write(node.Module);
                output.Write("\n\tDevice node: /dev/"u8);
                output.Write(node.Name);
                output.Write(node.Type == DeviceNodeType.Character ? "\n\t\tType: character device\n"u8 : "\n\t\tType: block device\n"u8);
                output.Write("\t\tMajor: "u8);
                WriteNumber(output, node.Major);
                output.Write("\n\t\tMinor: "u8);
                WriteNumber(output, node.Minor);
                output.Write("\n"u8);
                break;

            case StaticNodeFormat.Tmpfiles:
                // A node in a folder (net/tun) needs the folder made first, once per node.
                int slash = node.Name.AsSpan().LastIndexOf((byte)'/');
                if (slash >= 0)
                {
                    output.Write("d /dev/"u8);
                    output.Write(node.Name.AsSpan(0, slash));
                    output.Write(" 0755 - - -\n"u8);
                }

                output.Write(type);
                output.Write("! /dev/"u8);
                output.Write(node.Name);
                output.Write(" 0600 - - - "u8);
                WriteDeviceNumber(output, node);
                break;

            case StaticNodeFormat.Devname:
                output.Write(node.Module);
                output.Write(" "u8);
                output.Write(node.Name);
                output.Write(" "u8);
                output.Write(type);
                WriteDeviceNumber(output, node);
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, null);
        }
    }

    // "major:minor" and the end of the line.
    private static void WriteDeviceNumber(IBufferWriter<byte> output, DeviceNode node)
    {
        WriteNumber(output, node.Major);
        output.Write(":"u8);
        WriteNumber(output, node.Minor);
        output.Write("\n"u8);
    }

    private static void WriteNumber(IBufferWriter<byte> output, uint number)
    {
        Span<byte> digits = stackalloc byte[10];
        number.TryFormat(digits, out int written, default, CultureInfo.InvariantCulture);
        output.Write(digits[..written]);
    }
}
