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
    /// <param name="writer">Where the lines go.</param>
    /// <param name="linePrefix">Text put before each key: <c>"alias "</c> for the alias and symbol indexes, empty otherwise.</param>
    /// <param name="order">Which kmod reader to imitate for values of equal priority; modprobe uses <see cref="IndexTieOrder.Mmap"/>.</param>
    /// <exception cref="ModuleFormatException">A node is malformed; the lines before it have been written.</exception>
    /// <exception cref="IOException">Reading the file or writing failed.</exception>
    public void Dump(TextWriter writer, string linePrefix = "", IndexTieOrder order = IndexTieOrder.Mmap)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(linePrefix);
        foreach (var entry in Enumerate(order))
        {
            writer.Write(linePrefix);
            writer.Write(entry.Key);
            writer.Write(' ');
            writer.Write(entry.Value);
            writer.Write('\n');
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
