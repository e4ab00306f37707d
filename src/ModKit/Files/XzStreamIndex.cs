using System.Buffers.Binary;

namespace ModKit.Files;

/// <summary>
/// Reads the decompressed size an xz file declares in its index (xz file format 1.0.4 §4–§5): the stream
/// footer's Backward Size locates the index, whose records list each block's uncompressed size. Knowing it
/// lets the decoder allocate the image once instead of growing buffers by doubling (on Debian's .ko.xz tree
/// that growth kept up to ~90 MiB of pooled buffers alive for amdgpu.ko's 19 MiB).
/// </summary>
internal static class XzStreamIndex
{
    private const int FooterSize = 12;
    private const int MaxIndexSize = 1 << 20;
    private const int MaxRatio = 64;

    /// <summary>The summed uncompressed sizes of the last stream's blocks, or null when the tail is not a plain xz footer and index.</summary>
    /// <remarks>A wrong answer only costs a copy: the decoder treats it as a hint.</remarks>
    public static long? TryReadUncompressedSize(CompressedInput input)
    {
        Span<byte> footer = stackalloc byte[FooterSize];
        if (!input.TryReadTail(footer) || footer[10] != (byte)'Y' || footer[11] != (byte)'Z')
            return null;

        // Backward Size is stored as (real size / 4) - 1.
        long indexSize = ((long)BinaryPrimitives.ReadUInt32LittleEndian(footer[4..]) + 1) * 4;
        if (indexSize > MaxIndexSize || input.Length is not long length || indexSize + FooterSize > length)
            return null;

        var tail = new byte[indexSize + FooterSize];
        if (!input.TryReadTail(tail))
            return null;

        var index = tail.AsSpan(0, (int)indexSize);
        int position = 1;
        if (index[0] != 0 || !TryReadVarint(index, ref position, out ulong records))
            return null;

        ulong total = 0;
        for (ulong r = 0; r < records; r++)
        {
            if (!TryReadVarint(index, ref position, out _) || !TryReadVarint(index, ref position, out ulong uncompressed))
                return null;
            total += uncompressed;
            if (total > int.MaxValue)
                return null;
        }

        // An index is untrusted: believe it only for sizes real modules reach (they compress about 4:1), so a
        // forged one cannot make the decoder allocate up to its limit before any data is decoded.
        if (total > (ulong)length * MaxRatio)
            return null;

        return (long)total;
    }

    /// <summary>xz's multibyte integer: 7 bits a byte, least significant first, at most 9 bytes.</summary>
    private static bool TryReadVarint(ReadOnlySpan<byte> data, ref int position, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 63; shift += 7)
        {
            if (position >= data.Length)
                return false;
            byte b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return true;
        }

        return false;
    }
}
