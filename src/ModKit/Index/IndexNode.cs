using System.Buffers.Binary;

namespace ModKit.Index;

/// <summary>A value as stored in a node: its priority and raw bytes.</summary>
internal readonly record struct RawValue(uint Priority, byte[] Value);

/// <summary>
/// One decoded trie node (docs/index-format.md §4): prefix, child table and values, each present only when
/// the flag in the pointer that led here says so.
/// </summary>
internal sealed class IndexNode
{
    private readonly IndexSource? _source;
    private readonly long _childrenOffset;

    private IndexNode(byte[] prefix, byte first, IndexSource? source, long childrenOffset, int childCount, uint valueCount, long valuesOffset)
    {
        Prefix = prefix;
        First = first;
        _source = source;
        _childrenOffset = childrenOffset;
        ChildCount = childCount;
        ValueCount = valueCount;
        ValuesOffset = valuesOffset;
    }

    /// <summary>The key bytes consumed after the character that selected this node.</summary>
    public byte[] Prefix { get; }

    /// <summary>The character of the first child slot (meaningless when there are no slots).</summary>
    public byte First { get; }

    /// <summary>How many child slots the node has (characters <see cref="First"/> onward).</summary>
    public int ChildCount { get; }

    /// <summary>How many values the node has; they are decoded only when needed (<see cref="TryDecodeValues"/>).</summary>
    public uint ValueCount { get; }

    /// <summary>File offset of the first value record (meaningless without values).</summary>
    public long ValuesOffset { get; }

    /// <summary>The pointer of the child for character <paramref name="ch"/>, or 0.</summary>
    public uint ChildPointer(int ch)
    {
        int slot = ch - First;
        return (uint)slot < (uint)ChildCount ? ChildAt(slot) : 0;
    }

    /// <summary>The pointer in child slot <paramref name="slot"/> (0 = no child), read from the file when asked:
    /// a lookup looks at a few slots of each node it passes, so the table is not copied.</summary>
    public uint ChildAt(int slot) =>
        BinaryPrimitives.ReadUInt32BigEndian(_source!.Window(_childrenOffset + ((long)slot * IndexFormat.WordSize), IndexFormat.WordSize));

    /// <summary>
    /// Decodes the node that <paramref name="pointer"/> points to from <paramref name="window"/>, the bytes
    /// at its offset. Returns false when the window ends before the node does but the file does not
    /// (<paramref name="windowReachesEnd"/> false): the caller retries with a larger window.
    /// </summary>
    /// <exception cref="ModuleFormatException">The node is malformed or runs past the end of the file.</exception>
    public static bool TryDecode(IndexSource source, uint pointer, long offset, ReadOnlySpan<byte> window, bool windowReachesEnd, long bytesToEnd, out IndexNode? node)
    {
        node = null;
        var reader = new Reader(window, windowReachesEnd);

        byte[] prefix = [];
        if ((pointer & IndexFormat.FlagPrefix) != 0)
        {
            if (!reader.TryString(out var bytes))
                return false;
            prefix = bytes.ToArray();
        }

        byte first = 0;
        int childCount = 0;
        long childrenOffset = 0;
        if ((pointer & IndexFormat.FlagChildren) != 0)
        {
            if (!reader.TryTake(2, out var range))
                return false;
            first = range[0];
            byte last = range[1];
            if (first > last || last > IndexFormat.MaxChildChar)
                ModuleFormatException.Throw($"index node has an invalid child range 0x{first:X2}..0x{last:X2}");
            childCount = last - first + 1;
            childrenOffset = offset + reader.Position;
            if (!reader.TryTake(childCount * IndexFormat.WordSize, out _))
                return false;
        }

        uint valueCount = 0;
        if ((pointer & IndexFormat.FlagValues) != 0)
        {
            if (!reader.TryTake(IndexFormat.WordSize, out var countWord))
                return false;
            valueCount = BinaryPrimitives.ReadUInt32BigEndian(countWord);

            // Each record takes at least a priority word and a NUL: a larger count cannot fit in the file.
            if (valueCount > (bytesToEnd - reader.Position) / IndexFormat.MinValueSize)
                ModuleFormatException.Throw($"index node claims {valueCount} values, more than the file can hold");
        }

        // Values end the node, so they can wait until a lookup needs them.
        node = new IndexNode(prefix, first, source, childrenOffset, childCount, valueCount, offset + reader.Position);
        return true;
    }

    /// <summary>
    /// Decodes <see cref="ValueCount"/> value records from <paramref name="window"/>, the bytes at
    /// <see cref="ValuesOffset"/>; false when the window is too short but the file is not.
    /// </summary>
    /// <exception cref="ModuleFormatException">A record runs past the end of the file.</exception>
    public bool TryDecodeValues(ReadOnlySpan<byte> window, bool windowReachesEnd, out RawValue[] values)
    {
        var reader = new Reader(window, windowReachesEnd);
        values = new RawValue[ValueCount];
        for (int i = 0; i < values.Length; i++)
        {
            if (!reader.TryTake(IndexFormat.WordSize, out var priority) || !reader.TryString(out var value))
                return false;
            values[i] = new RawValue(BinaryPrimitives.ReadUInt32BigEndian(priority), value.ToArray());
        }

        return true;
    }
    /// <summary>Sequential reads within a node's window; running out of bytes is fatal only at the end of the file.</summary>
    private ref struct Reader(ReadOnlySpan<byte> window, bool windowReachesEnd)
    {
        private readonly ReadOnlySpan<byte> _window = window;

        public int Position { get; private set; }

        public bool TryTake(int count, out ReadOnlySpan<byte> bytes)
        {
            if (count > _window.Length - Position)
            {
                bytes = default;
                return Truncated();
            }

            bytes = _window.Slice(Position, count);
            Position += count;
            return true;
        }

        /// <summary>A NUL-terminated string; the NUL must lie inside the file.</summary>
        public bool TryString(out ReadOnlySpan<byte> bytes)
        {
            int nul = _window[Position..].IndexOf((byte)0);
            if (nul < 0)
            {
                bytes = default;
                return Truncated();
            }

            bytes = _window.Slice(Position, nul);
            Position += nul + 1;
            return true;
        }

        private readonly bool Truncated()
        {
            if (windowReachesEnd)
                ModuleFormatException.Throw("index node runs past the end of the file");
            return false;
        }
    }
}
