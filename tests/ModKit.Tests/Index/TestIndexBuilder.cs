using System.Buffers.Binary;
using System.Text;

namespace ModKit.Tests.Index;

/// <summary>
/// Builds index files for tests the way depmod lays them out (docs/index-format.md §5–§7): a canonical
/// Patricia trie, values inserted before the first of greater or equal priority, nodes written pre-order
/// (kmod ≥ 34) or post-order (kmod ≤ 33). Test scaffolding, not the library's writer.
/// </summary>
internal sealed class TestIndexBuilder
{
    private readonly Node _root = new();

    public TestIndexBuilder Add(string key, string value, uint priority = 0)
    {
        var node = _root;
        foreach (byte ch in Encoding.ASCII.GetBytes(key))
        {
            if (!node.Children.TryGetValue(ch, out var child))
                node.Children[ch] = child = new Node();
            node = child;
        }

        int at = node.Values.FindIndex(v => v.Priority >= priority);
        node.Values.Insert(at < 0 ? node.Values.Count : at, (priority, value));
        return this;
    }

    public byte[] Build(bool preOrder)
    {
        var root = Compress(_root);
        var output = new List<byte>(new byte[12]);
        uint rootPointer = preOrder ? WritePreOrder(root, output) : WritePostOrder(root, output);
        var bytes = output.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 0xB007F457);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), 0x00020001);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), rootPointer);
        return bytes;
    }

    private sealed class Node
    {
        public SortedDictionary<byte, Node> Children { get; } = [];
        public List<(uint Priority, string Value)> Values { get; } = [];
    }

    private sealed record Packed(byte[] Prefix, SortedDictionary<byte, Packed> Children, List<(uint Priority, string Value)> Values)
    {
        public uint Flags =>
            (Prefix.Length > 0 ? 0x80000000u : 0) | (Values.Count > 0 ? 0x40000000u : 0) | (Children.Count > 0 ? 0x20000000u : 0);
    }

    /// <summary>Merges every chain of value-less single-child nodes into a prefix.</summary>
    private static Packed Compress(Node node)
    {
        var prefix = new List<byte>();
        while (node.Values.Count == 0 && node.Children.Count == 1)
        {
            var (ch, child) = node.Children.First();
            prefix.Add(ch);
            node = child;
        }

        var children = new SortedDictionary<byte, Packed>();
        foreach (var (ch, child) in node.Children)
            children[ch] = Compress(child);
        return new Packed([.. prefix], children, node.Values);
    }

    private static byte[] Encode(Packed node, Func<Packed, uint> childPointer)
    {
        var bytes = new List<byte>();
        if (node.Prefix.Length > 0)
        {
            bytes.AddRange(node.Prefix);
            bytes.Add(0);
        }

        if (node.Children.Count > 0)
        {
            byte first = node.Children.Keys.First(), last = node.Children.Keys.Last();
            bytes.Add(first);
            bytes.Add(last);
            for (int ch = first; ch <= last; ch++)
                AddWord(bytes, node.Children.TryGetValue((byte)ch, out var child) ? childPointer(child) : 0);
        }

        if (node.Values.Count > 0)
        {
            AddWord(bytes, (uint)node.Values.Count);
            foreach (var (priority, value) in node.Values)
            {
                AddWord(bytes, priority);
                bytes.AddRange(Encoding.ASCII.GetBytes(value));
                bytes.Add(0);
            }
        }

        return [.. bytes];
    }

    private static uint WritePostOrder(Packed node, List<byte> output)
    {
        var pointers = new Dictionary<Packed, uint>(ReferenceEqualityComparer.Instance);
        foreach (var child in node.Children.Values)
            pointers[child] = WritePostOrder(child, output);
        uint offset = (uint)output.Count;
        output.AddRange(Encode(node, child => pointers[child]));
        return offset | node.Flags;
    }

    private static uint WritePreOrder(Packed node, List<byte> output)
    {
        uint offset = (uint)output.Count;
        long next = offset + Encode(node, _ => 0).Length;
        var pointers = new Dictionary<Packed, uint>(ReferenceEqualityComparer.Instance);
        foreach (var child in node.Children.Values)
        {
            pointers[child] = (uint)next | child.Flags;
            next += SubtreeSize(child);
        }

        output.AddRange(Encode(node, child => pointers[child]));
        foreach (var child in node.Children.Values)
            WritePreOrder(child, output);
        return offset | node.Flags;
    }

    private static long SubtreeSize(Packed node) =>
        Encode(node, _ => 0).Length + node.Children.Values.Sum(SubtreeSize);

    private static void AddWord(List<byte> bytes, uint word)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, word);
        bytes.AddRange(buffer.ToArray());
    }
}
