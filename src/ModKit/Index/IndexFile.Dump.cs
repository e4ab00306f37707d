using System.Text;

namespace ModKit.Index;

public sealed partial class IndexFile
{
    /// <summary>
    /// Lists every key/value pair in kmod's dump order (<c>index_dump</c>, <c>index_mm_dump</c>): depth first,
    /// a node's values before its children, children by ascending character, so keys come out sorted by
    /// their bytes with a key's values before those of longer keys.
    /// </summary>
    /// <param name="order">Which kmod reader to imitate for values of equal priority: the mmap reader
    /// (<c>modprobe -c</c>) lists a node's values in file order, the stdio reader sorted by priority with
    /// ties reversed.</param>
    /// <returns>The entries, read lazily as the sequence is enumerated.</returns>
    /// <exception cref="ModuleFormatException">A node is malformed (raised during enumeration).</exception>
    /// <exception cref="IOException">Reading the file failed (raised during enumeration).</exception>
    public IEnumerable<IndexEntry> Enumerate(IndexTieOrder order = IndexTieOrder.Mmap)
    {
        var root = ReadNode(_rootPointer);
        if (root is null)
            yield break;

        long budget = TraversalBudget;
        var key = new List<byte>(root.Prefix);
        var frames = new List<Frame> { new(root, 0, root.Prefix.Length) };
        foreach (var entry in Entries(root, key, order))
            yield return entry;

        while (frames.Count > 0)
        {
            var frame = frames[^1];
            var node = frame.Node;
            int slot = frame.NextSlot;
            uint childPointer = 0;
            while (slot < node.ChildCount && ((childPointer = node.ChildAt(slot)) & IndexFormat.OffsetMask) == 0)
                slot++;

            if (slot == node.ChildCount)
            {
                key.RemoveRange(key.Count - frame.Pushed, frame.Pushed);
                frames.RemoveAt(frames.Count - 1);
                continue;
            }

            frames[^1] = frame with { NextSlot = slot + 1 };
            var child = ReadTreeChild(childPointer, ref budget);
            key.Add((byte)(frame.Node.First + slot));
            key.AddRange(child.Prefix);
            frames.Add(new Frame(child, 0, 1 + child.Prefix.Length));
            foreach (var entry in Entries(child, key, order))
                yield return entry;
        }
    }

    /// <summary>
    /// Writes the index as kmod's <c>kmod_dump_index</c> does: one line <c>&lt;prefix&gt;&lt;key&gt; &lt;value&gt;\n</c>
    /// per value, in <see cref="Enumerate"/> order. <c>modprobe -c</c> dumps modules.alias.bin and
    /// modules.symbols.bin with the prefix <c>"alias "</c>.
    /// </summary>
    /// <param name="writer">Where the lines go, as text decoded from the bytes <see cref="Dump(Stream, string, IndexTieOrder)"/> writes.</param>
    /// <param name="linePrefix">Text put before each key: <c>"alias "</c> for the alias and symbol indexes, empty otherwise.</param>
    /// <param name="order">Which kmod reader to imitate for values of equal priority; modprobe uses <see cref="IndexTieOrder.Mmap"/>.</param>
    /// <exception cref="ModuleFormatException">A node is malformed; the lines before it have been written.</exception>
    /// <exception cref="IOException">Reading the file or writing failed.</exception>
    public void Dump(TextWriter writer, string linePrefix = "", IndexTieOrder order = IndexTieOrder.Mmap)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(linePrefix);
        var bytes = new MemoryStream();
        try
        {
            Dump(bytes, linePrefix, order);
        }
        finally
        {
            writer.Write(Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length));
        }
    }

    /// <summary>
    /// Writes the index as kmod's <c>kmod_dump_index</c> does, byte for byte: one line
    /// <c>&lt;prefix&gt;&lt;key&gt; &lt;value&gt;\n</c> per value, in <see cref="Enumerate"/> order, the key and value
    /// bytes copied from the file as they are. The walk allocates nothing per node or entry: keys are built in
    /// one reused buffer and lines go out through one output buffer, written to <paramref name="output"/> when
    /// full and at the end.
    /// </summary>
    /// <param name="output">Where the lines go; it is written to, not flushed or closed.</param>
    /// <param name="linePrefix">Text put before each key: <c>"alias "</c> for the alias and symbol indexes, empty otherwise.</param>
    /// <param name="order">Which kmod reader to imitate for values of equal priority; modprobe uses <see cref="IndexTieOrder.Mmap"/>.</param>
    /// <exception cref="ModuleFormatException">A node is malformed; the lines before it (none of its own) have been written.</exception>
    /// <exception cref="IOException">Reading the file or writing failed.</exception>
    public void Dump(Stream output, string linePrefix = "", IndexTieOrder order = IndexTieOrder.Mmap)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(linePrefix);
        var lines = new LineBuffer(output, Encoding.UTF8.GetBytes(linePrefix));
        try
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                DumpTree(ref lines, order);
            }
        }
        catch (ModuleFormatException)
        {
            lines.Flush();
            throw;
        }

        lines.Flush();
    }

    // Enumerate's walk over node layouts instead of nodes: the same order, checks and traversal budget.
    private void DumpTree(ref LineBuffer lines, IndexTieOrder order)
    {
        uint rootOffset = _rootPointer & IndexFormat.OffsetMask;
        if (rootOffset == 0)
            return;

        long budget = TraversalBudget;
        var root = IndexNode.ReadLayout(_source, _rootPointer, rootOffset);
        var key = new KeyBuffer();
        key.Append(_source.Window(root.PrefixOffset, root.PrefixLength));
        var frames = new List<LayoutFrame> { new(root, 0, root.PrefixLength) };
        DumpValues(ref lines, root, key.Bytes, order);

        while (frames.Count > 0)
        {
            var frame = frames[^1];
            var node = frame.Node;
            int slot = frame.NextSlot;
            uint childPointer = 0;
            while (slot < node.ChildCount && ((childPointer = IndexNode.ChildAt(_source, node, slot)) & IndexFormat.OffsetMask) == 0)
                slot++;

            if (slot == node.ChildCount)
            {
                key.Truncate(frame.Pushed);
                frames.RemoveAt(frames.Count - 1);
                continue;
            }

            frames[^1] = frame with { NextSlot = slot + 1 };
            if (--budget < 0)
                ModuleFormatException.Throw($"index node at offset {childPointer & IndexFormat.OffsetMask} is one node more than the file can hold: the nodes do not form a tree");
            var child = IndexNode.ReadLayout(_source, childPointer, childPointer & IndexFormat.OffsetMask);
            key.Append((byte)(node.First + slot));
            key.Append(_source.Window(child.PrefixOffset, child.PrefixLength));
            frames.Add(new LayoutFrame(child, 0, 1 + child.PrefixLength));
            DumpValues(ref lines, child, key.Bytes, order);
        }
    }

    // A node's lines: every record is checked before the first line is written, so a damaged node writes none.
    private void DumpValues(ref LineBuffer lines, in IndexNode.Layout node, ReadOnlySpan<byte> key, IndexTieOrder order)
    {
        if (node.ValueCount == 0)
            return;
        var records = _source.Window(node.ValuesOffset, int.MaxValue);
        var values = lines.Values((int)node.ValueCount);
        int position = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (records.Length - position < IndexFormat.WordSize)
                ValuesTruncated();
            uint priority = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(records[position..]);
            position += IndexFormat.WordSize;
            int length = records[position..].IndexOf((byte)0);
            if (length < 0)
                ValuesTruncated();
            values[i] = new ValueRange(priority, position, length, i);
            position += length + 1;
        }

        if (order == IndexTieOrder.Stdio && values.Length > 1)
            values.Sort(StdioOrder);

        foreach (var value in values)
            lines.WriteLine(key, records.Slice(value.Start, value.Length));
    }

    // kmod's add_value list: ascending priority, and of equal priorities the last in the file first.
    private static int StdioOrder(ValueRange a, ValueRange b) =>
        a.Priority != b.Priority ? a.Priority.CompareTo(b.Priority) : b.Index.CompareTo(a.Index);

    private static void ValuesTruncated() => ModuleFormatException.Throw("index node runs past the end of the file");

    /// <summary>A node being dumped: its layout, its next child slot, and how many key bytes it pushed.</summary>
    private readonly record struct LayoutFrame(IndexNode.Layout Node, int NextSlot, int Pushed);

    /// <summary>A value record of the node being dumped: its priority, where its bytes lie in the node's records, and its place in the file.</summary>
    private readonly record struct ValueRange(uint Priority, int Start, int Length, int Index);

    /// <summary>The key of the node being dumped, in a buffer that grows and is reused.</summary>
    private struct KeyBuffer()
    {
        private byte[] _bytes = new byte[256];
        private int _length;

        public readonly ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, _length);

        public void Append(byte value)
        {
            Reserve(1);
            _bytes[_length++] = value;
        }

        public void Append(ReadOnlySpan<byte> bytes)
        {
            Reserve(bytes.Length);
            bytes.CopyTo(_bytes.AsSpan(_length));
            _length += bytes.Length;
        }

        public void Truncate(int count) => _length -= count;

        private void Reserve(int count)
        {
            if (_bytes.Length - _length < count)
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + count));
        }
    }

    /// <summary>The lines of a dump, gathered in one buffer and written to the stream when it is full; and the
    /// reused array of a node's value records.</summary>
    private struct LineBuffer(Stream output, byte[] prefix)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _used;
        private ValueRange[] _values = new ValueRange[16];

        public Span<ValueRange> Values(int count)
        {
            if (_values.Length < count)
                _values = new ValueRange[Math.Max(count, _values.Length * 2)];
            return _values.AsSpan(0, count);
        }

        public void WriteLine(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            Write(prefix);
            Write(key);
            Write((byte)' ');
            Write(value);
            Write((byte)'\n');
        }

        public void Flush()
        {
            if (_used > 0)
                output.Write(_buffer, 0, _used);
            _used = 0;
        }

        private void Write(byte value)
        {
            if (_used == _buffer.Length)
                Flush();
            _buffer[_used++] = value;
        }

        private void Write(ReadOnlySpan<byte> bytes)
        {
            if (_buffer.Length - _used < bytes.Length)
            {
                Flush();
                if (bytes.Length > _buffer.Length)
                {
                    output.Write(bytes);
                    return;
                }
            }

            bytes.CopyTo(_buffer.AsSpan(_used));
            _used += bytes.Length;
        }
    }

    private IndexEntry[] Entries(IndexNode node, List<byte> key, IndexTieOrder order)
    {
        if (node.ValueCount == 0)
            return [];
        var values = InReaderOrder(ReadValues(node), order);
        string k = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(key));
        var entries = new IndexEntry[values.Length];
        for (int i = 0; i < values.Length; i++)
            entries[i] = new IndexEntry(k, Decode(values[i].Value), values[i].Priority);
        return entries;
    }
}
