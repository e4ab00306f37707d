using System.Buffers.Binary;

namespace ModKit.Index;

public sealed partial class IndexWriter
{
    /// <summary>Lays the index out as a complete file.</summary>
    /// <param name="layout">Node placement; kmod 30 writes <see cref="IndexLayout.PostOrder"/>.</param>
    /// <returns>The file's bytes.</returns>
    /// <exception cref="InvalidOperationException">The file would exceed the 256 MiB that 28-bit node offsets can address.</exception>
    public byte[] ToArray(IndexLayout layout = IndexLayout.PostOrder)
    {
        var subtreeSizes = new long[_nodeCount];
        long size = IndexFormat.HeaderSize + SubtreeSize(0, subtreeSizes);
        if (size > IndexFormat.OffsetMask)
            throw new InvalidOperationException($"An index of {size} bytes cannot be addressed by 28-bit node offsets.");

        var output = new byte[size];
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(IndexFormat.MagicOffset), IndexFormat.Magic);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(IndexFormat.VersionOffset), IndexFormat.Version);
        var placement = new Placement(output, subtreeSizes);
        uint root = layout == IndexLayout.PreOrder ? WritePreOrder(0, ref placement) : WritePostOrder(0, ref placement);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(IndexFormat.RootOffset), root);
        return output;
    }

    /// <summary>Writes the index file to a stream.</summary>
    /// <param name="destination">Where the bytes go.</param>
    /// <param name="layout">Node placement; kmod 30 writes <see cref="IndexLayout.PostOrder"/>.</param>
    /// <exception cref="InvalidOperationException">The file would exceed 256 MiB.</exception>
    /// <exception cref="IOException">Writing failed.</exception>
    public void WriteTo(Stream destination, IndexLayout layout = IndexLayout.PostOrder)
    {
        ArgumentNullException.ThrowIfNull(destination);
        destination.Write(ToArray(layout));
    }

    /// <summary>The bytes of a node's subtree, each node's recorded in <paramref name="sizes"/>.</summary>
    private long SubtreeSize(int node, long[] sizes)
    {
        long size = NodeSize(node);
        for (int child = _nodes[node].FirstChild; child != None; child = _nodes[child].NextSibling)
            size += SubtreeSize(child, sizes);
        sizes[node] = size;
        return size;
    }

    private int NodeSize(int node)
    {
        ref readonly var n = ref _nodes[node];
        int size = n.PrefixLength > 0 ? n.PrefixLength + 1 : 0;
        if (n.FirstChild != None)
            size += 2 + (IndexFormat.WordSize * ChildTableLength(node, out _));
        if (n.FirstValue != None)
        {
            size += IndexFormat.WordSize;
            for (int v = n.FirstValue; v != None; v = _values[v].Next)
                size += IndexFormat.WordSize + _values[v].Length + 1;
        }

        return size;
    }

    /// <summary>The child table's slots, first character to last (0 without children).</summary>
    private int ChildTableLength(int node, out byte first)
    {
        int child = _nodes[node].FirstChild;
        first = 0;
        if (child == None)
            return 0;
        first = _nodes[child].Character;
        byte last = first;
        for (; child != None; child = _nodes[child].NextSibling)
            last = _nodes[child].Character;
        return last - first + 1;
    }

    /// <summary>Children in ascending character order first, then the node: kmod ≤ 33's placement.</summary>
    private uint WritePostOrder(int node, ref Placement placement)
    {
        int slots = ChildTableLength(node, out byte first);
        int table = placement.ReservePointers(slots);
        for (int child = _nodes[node].FirstChild; child != None; child = _nodes[child].NextSibling)
        {
            uint pointer = WritePostOrder(child, ref placement);
            placement.Pointers[table + _nodes[child].Character - first] = pointer;
        }

        uint self = WriteNode(node, first, table, slots, ref placement);
        placement.ReleasePointers(table);
        return self;
    }

    /// <summary>The node first, then each child's subtree in ascending character order: kmod ≥ 34's placement.</summary>
    private uint WritePreOrder(int node, ref Placement placement)
    {
        int slots = ChildTableLength(node, out byte first);
        int table = placement.ReservePointers(slots);
        long childPosition = placement.Position + NodeSize(node);
        for (int child = _nodes[node].FirstChild; child != None; child = _nodes[child].NextSibling)
        {
            placement.Pointers[table + _nodes[child].Character - first] = Pointer(child, (int)childPosition);
            childPosition += placement.SubtreeSizes[child];
        }

        uint self = WriteNode(node, first, table, slots, ref placement);
        placement.ReleasePointers(table);
        for (int child = _nodes[node].FirstChild; child != None; child = _nodes[child].NextSibling)
            WritePreOrder(child, ref placement);
        return self;
    }

    /// <summary>The pointer to a node at an offset: the offset with flags for the parts the node has (§3).</summary>
    private uint Pointer(int node, int offset)
    {
        ref readonly var n = ref _nodes[node];
        uint pointer = (uint)offset;
        if (n.PrefixLength > 0)
            pointer |= IndexFormat.FlagPrefix;
        if (n.FirstChild != None)
            pointer |= IndexFormat.FlagChildren;
        if (n.FirstValue != None)
            pointer |= IndexFormat.FlagValues;
        return pointer;
    }

    /// <summary>Writes one node: prefix, child table, values, each only if present (§4).</summary>
    private uint WriteNode(int node, byte first, int table, int slots, ref Placement placement)
    {
        int position = placement.Position;
        uint self = Pointer(node, position);
        var span = placement.Output.AsSpan();
        ref readonly var n = ref _nodes[node];
        if (n.PrefixLength > 0)
        {
            Prefix(node).CopyTo(span[position..]);
            position += n.PrefixLength;
            span[position++] = 0;
        }

        if (slots > 0)
        {
            span[position++] = first;
            span[position++] = (byte)(first + slots - 1);
            foreach (uint pointer in placement.Pointers.AsSpan(table, slots))
            {
                BinaryPrimitives.WriteUInt32BigEndian(span[position..], pointer);
                position += IndexFormat.WordSize;
            }
        }

        if (n.FirstValue != None)
        {
            int countPosition = position;
            position += IndexFormat.WordSize;
            uint count = 0;
            for (int v = n.FirstValue; v != None; v = _values[v].Next)
            {
                ref readonly var value = ref _values[v];
                BinaryPrimitives.WriteUInt32BigEndian(span[position..], value.Priority);
                position += IndexFormat.WordSize;
                _bytes.AsSpan(value.Start, value.Length).CopyTo(span[position..]);
                position += value.Length;
                span[position++] = 0;
                count++;
            }

            BinaryPrimitives.WriteUInt32BigEndian(span[countPosition..], count);
        }

        placement.Position = position;
        return self;
    }

    /// <summary>
    /// The state of one layout: the output, where the next node goes, each subtree's size, and a stack of child
    /// pointer tables (a node's table is reserved on it while its children are placed, then released).
    /// </summary>
    private struct Placement(byte[] output, long[] subtreeSizes)
    {
        public readonly byte[] Output = output;
        public readonly long[] SubtreeSizes = subtreeSizes;
        public int Position = IndexFormat.HeaderSize;
        public uint[] Pointers = new uint[256];
        private int _top;

        /// <summary>Reserves a zeroed table of pointers and returns where it starts in <see cref="Pointers"/>.</summary>
        public int ReservePointers(int count)
        {
            int start = _top;
            if (Pointers.Length - start < count)
                Array.Resize(ref Pointers, Math.Max(Pointers.Length * 2, start + count));
            Array.Clear(Pointers, start, count);
            _top += count;
            return start;
        }

        public void ReleasePointers(int start) => _top = start;
    }
}
