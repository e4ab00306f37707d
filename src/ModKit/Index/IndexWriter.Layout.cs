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
        long size = IndexFormat.HeaderSize + SubtreeSize(_root);
        if (size > IndexFormat.OffsetMask)
            throw new InvalidOperationException($"An index of {size} bytes cannot be addressed by 28-bit node offsets.");

        var output = new byte[size];
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(IndexFormat.MagicOffset), IndexFormat.Magic);
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(IndexFormat.VersionOffset), IndexFormat.Version);
        int position = IndexFormat.HeaderSize;
        uint root = layout == IndexLayout.PreOrder
            ? WritePreOrder(_root, output, ref position)
            : WritePostOrder(_root, output, ref position);
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

    private static long SubtreeSize(Node node)
    {
        long size = NodeSize(node);
        foreach (var child in node.Children)
        {
            if (child is not null)
                size += SubtreeSize(child);
        }

        return size;
    }

    private static int NodeSize(Node node)
    {
        int size = node.Prefix.Length > 0 ? node.Prefix.Length + 1 : 0;
        if (node.Children.Length > 0)
            size += 2 + (IndexFormat.WordSize * node.Children.Length);
        if (node.Values is { } values)
        {
            size += IndexFormat.WordSize;
            foreach (var (_, value) in values)
                size += IndexFormat.WordSize + value.Length + 1;
        }

        return size;
    }

    /// <summary>Children in ascending character order first, then the node: kmod ≤ 33's placement.</summary>
    private static uint WritePostOrder(Node node, byte[] output, ref int position)
    {
        var pointers = new uint[node.Children.Length];
        for (int slot = 0; slot < pointers.Length; slot++)
        {
            if (node.Children[slot] is { } child)
                pointers[slot] = WritePostOrder(child, output, ref position);
        }

        return WriteNode(node, pointers, output, ref position);
    }

    /// <summary>The node first, then each child's subtree in ascending character order: kmod ≥ 34's placement.</summary>
    private static uint WritePreOrder(Node node, byte[] output, ref int position)
    {
        var pointers = new uint[node.Children.Length];
        int childPosition = position + NodeSize(node);
        for (int slot = 0; slot < pointers.Length; slot++)
        {
            if (node.Children[slot] is { } child)
            {
                pointers[slot] = Pointer(child, childPosition);
                childPosition += (int)SubtreeSize(child);
            }
        }

        uint self = WriteNode(node, pointers, output, ref position);
        for (int slot = 0; slot < pointers.Length; slot++)
        {
            if (node.Children[slot] is { } child)
                WritePreOrder(child, output, ref position);
        }

        return self;
    }

    /// <summary>The pointer to a node at an offset: the offset with flags for the parts the node has (§3).</summary>
    private static uint Pointer(Node node, int offset)
    {
        uint pointer = (uint)offset;
        if (node.Prefix.Length > 0)
            pointer |= IndexFormat.FlagPrefix;
        if (node.Children.Length > 0)
            pointer |= IndexFormat.FlagChildren;
        if (node.Values is not null)
            pointer |= IndexFormat.FlagValues;
        return pointer;
    }

    /// <summary>Writes one node: prefix, child table, values, each only if present (§4).</summary>
    private static uint WriteNode(Node node, uint[] childPointers, byte[] output, ref int position)
    {
        uint self = Pointer(node, position);
        var span = output.AsSpan();
        if (node.Prefix.Length > 0)
        {
            node.Prefix.CopyTo(span[position..]);
            position += node.Prefix.Length;
            span[position++] = 0;
        }

        if (childPointers.Length > 0)
        {
            span[position++] = node.First;
            span[position++] = (byte)(node.First + childPointers.Length - 1);
            foreach (uint pointer in childPointers)
            {
                BinaryPrimitives.WriteUInt32BigEndian(span[position..], pointer);
                position += IndexFormat.WordSize;
            }
        }

        if (node.Values is { } values)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span[position..], (uint)values.Count);
            position += IndexFormat.WordSize;
            foreach (var (priority, value) in values)
            {
                BinaryPrimitives.WriteUInt32BigEndian(span[position..], priority);
                position += IndexFormat.WordSize;
                value.CopyTo(span[position..]);
                position += value.Length;
                span[position++] = 0;
            }
        }

        return self;
    }
}
