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
    private readonly IndexSource _source;
    private readonly Layout _layout;

    private IndexNode(byte[] prefix, IndexSource source, Layout layout)
    {
        Prefix = prefix;
        _source = source;
        _layout = layout;
    }

    /// <summary>The key bytes consumed after the character that selected this node.</summary>
    public byte[] Prefix { get; }

    /// <summary>The character of the first child slot (meaningless when there are no slots).</summary>
    public byte First => _layout.First;

    /// <summary>How many child slots the node has (characters <see cref="First"/> onward).</summary>
    public int ChildCount => _layout.ChildCount;

    /// <summary>How many values the node has; they are decoded only when needed (<see cref="DecodeValues()"/>).</summary>
    public uint ValueCount => _layout.ValueCount;

    /// <summary>File offset of the first value record (meaningless without values).</summary>
    public long ValuesOffset => _layout.ValuesOffset;

    /// <summary>The pointer of the child for character <paramref name="ch"/>, or 0.</summary>
    public uint ChildPointer(int ch) => ChildPointer(_source, _layout, ch);

    /// <summary>The pointer in child slot <paramref name="slot"/> (0 = no child), read from the file when asked:
    /// a lookup looks at a few slots of each node it passes, so the table is not copied.</summary>
    public uint ChildAt(int slot) => ChildAt(_source, _layout, slot);

    /// <summary>
    /// Decodes the node that <paramref name="pointer"/> points to, at <paramref name="offset"/> of
    /// <paramref name="source"/> (which holds the whole file: a node is read in place, up to the end of the file).
    /// </summary>
    /// <exception cref="ModuleFormatException">The node is malformed or runs past the end of the file.</exception>
    public static IndexNode Decode(IndexSource source, uint pointer, long offset)
    {
        var layout = ReadLayout(source, pointer, offset);
        byte[] prefix = layout.PrefixLength == 0 ? [] : source.Window(layout.PrefixOffset, layout.PrefixLength).ToArray();
        return new IndexNode(prefix, source, layout);
    }

    /// <summary>
    /// Where the parts of a node lie in the file, checked as <see cref="Decode"/> checks them, without copying
    /// anything: what an exact lookup needs to pass a node.
    /// </summary>
    /// <exception cref="ModuleFormatException">The node is malformed or runs past the end of the file.</exception>
    public static Layout ReadLayout(IndexSource source, uint pointer, long offset)
    {
        var reader = new Reader(Rest(source, offset));

        long prefixOffset = offset;
        int prefixLength = 0;
        if ((pointer & IndexFormat.FlagPrefix) != 0)
            prefixLength = reader.String().Length;

        byte first = 0;
        int childCount = 0;
        long childrenOffset = 0;
        if ((pointer & IndexFormat.FlagChildren) != 0)
        {
            var range = reader.Take(2);
            first = range[0];
            byte last = range[1];
            if (first > last || last > IndexFormat.MaxChildChar)
                ModuleFormatException.Throw($"index node has an invalid child range 0x{first:X2}..0x{last:X2}");
            childCount = last - first + 1;
            childrenOffset = offset + reader.Position;
            reader.Take(childCount * IndexFormat.WordSize);
        }

        uint valueCount = 0;
        if ((pointer & IndexFormat.FlagValues) != 0)
        {
            valueCount = BinaryPrimitives.ReadUInt32BigEndian(reader.Take(IndexFormat.WordSize));

            // Each record takes at least a priority word and a NUL: a larger count cannot fit in the file.
            if (valueCount > (source.Length - offset - reader.Position) / IndexFormat.MinValueSize)
                ModuleFormatException.Throw($"index node claims {valueCount} values, more than the file can hold");
        }

        // Values end the node, so they can wait until a lookup needs them.
        return new Layout(prefixOffset, prefixLength, first, childCount, childrenOffset, valueCount, offset + reader.Position);
    }

    /// <summary>
    /// The value an exact lookup returns, as a range of the file: the first record in <see cref="IndexTieOrder.Mmap"/>
    /// order; in <see cref="IndexTieOrder.Stdio"/> order the lowest priority, the last of equal ones (kmod's
    /// <c>add_value</c> list). Every record is checked, as <see cref="DecodeValues()"/> checks them.
    /// </summary>
    /// <exception cref="ModuleFormatException">A record runs past the end of the file.</exception>
    public static (long Offset, int Length) FirstValue(IndexSource source, in Layout layout, IndexTieOrder order)
    {
        var reader = new Reader(Rest(source, layout.ValuesOffset));
        (long Offset, int Length) chosen = (0, 0);
        uint chosenPriority = 0;
        for (uint i = 0; i < layout.ValueCount; i++)
        {
            uint priority = BinaryPrimitives.ReadUInt32BigEndian(reader.Take(IndexFormat.WordSize));
            long start = layout.ValuesOffset + reader.Position;
            int length = reader.String().Length;
            if (i == 0 || (order == IndexTieOrder.Stdio && priority <= chosenPriority))
            {
                chosen = (start, length);
                chosenPriority = priority;
            }
        }

        return chosen;
    }

    /// <summary>The child pointer for character <paramref name="ch"/> of a node given by its layout, or 0.</summary>
    public static uint ChildPointer(IndexSource source, in Layout layout, int ch)
    {
        int slot = ch - layout.First;
        return (uint)slot < (uint)layout.ChildCount ? ChildAt(source, layout, slot) : 0;
    }

    /// <summary>The pointer in child slot <paramref name="slot"/> of a node given by its layout (0 = no child).</summary>
    public static uint ChildAt(IndexSource source, in Layout layout, int slot) =>
        BinaryPrimitives.ReadUInt32BigEndian(source.Window(layout.ChildrenOffset + ((long)slot * IndexFormat.WordSize), IndexFormat.WordSize));

    /// <summary>A node's parts as file offsets (see <see cref="ReadLayout"/>).</summary>
    internal readonly record struct Layout(long PrefixOffset, int PrefixLength, byte First, int ChildCount, long ChildrenOffset, uint ValueCount, long ValuesOffset);

    /// <summary>Decodes the node's <see cref="ValueCount"/> value records, at <see cref="ValuesOffset"/>.</summary>
    /// <exception cref="ModuleFormatException">A record runs past the end of the file.</exception>
    public RawValue[] DecodeValues() => DecodeValues(_source, _layout);

    /// <summary>Decodes the value records of a node given by its layout (see <see cref="DecodeValues()"/>).</summary>
    /// <exception cref="ModuleFormatException">A record runs past the end of the file.</exception>
    public static RawValue[] DecodeValues(IndexSource source, in Layout layout)
    {
        var reader = new Reader(Rest(source, layout.ValuesOffset));
        var values = new RawValue[layout.ValueCount];
        for (int i = 0; i < values.Length; i++)
        {
            uint priority = BinaryPrimitives.ReadUInt32BigEndian(reader.Take(IndexFormat.WordSize));
            values[i] = new RawValue(priority, reader.String().ToArray());
        }

        return values;
    }

    // The bytes from offset to the end of the file (or 2 GiB on, far past any node).
    private static ReadOnlySpan<byte> Rest(IndexSource source, long offset) => source.Window(offset, int.MaxValue);

    /// <summary>Sequential reads within a node's bytes; running out of them means the node runs past the end of the file.</summary>
    private ref struct Reader(ReadOnlySpan<byte> window)
    {
        private readonly ReadOnlySpan<byte> _window = window;

        public int Position { get; private set; }

        public ReadOnlySpan<byte> Take(int count)
        {
            if (count > _window.Length - Position)
                Truncated();
            var bytes = _window.Slice(Position, count);
            Position += count;
            return bytes;
        }

        /// <summary>A NUL-terminated string; the NUL must lie inside the file.</summary>
        public ReadOnlySpan<byte> String()
        {
            int nul = _window[Position..].IndexOf((byte)0);
            if (nul < 0)
                Truncated();
            var bytes = _window.Slice(Position, nul);
            Position += nul + 1;
            return bytes;
        }

        private static void Truncated() => ModuleFormatException.Throw("index node runs past the end of the file");
    }
}
