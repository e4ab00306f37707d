using System.Runtime.InteropServices;
using System.Text;
using ModKit.Text;

namespace ModKit.Index;

public sealed partial class IndexFile
{
    /// <summary>
    /// Exact lookup, as kmod's <c>index_search</c> / <c>index_mm_search</c> (used for modules.dep.bin and
    /// modules.builtin.bin): the lowest-priority value stored under <paramref name="key"/>.
    /// </summary>
    /// <param name="key">The key; encoded as UTF-8 and cut at the first NUL, as a C string.</param>
    /// <param name="order">Which kmod reader to imitate when several values share the lowest priority.</param>
    /// <returns>The value, or null when the key is not in the index.</returns>
    /// <exception cref="ModuleFormatException">A node on the way is malformed.</exception>
    /// <exception cref="IOException">Reading the file failed.</exception>
    /// <exception cref="ObjectDisposedException">The index was disposed.</exception>
    public string? Lookup(string key, IndexTieOrder order = IndexTieOrder.Mmap)
    {
        // Nothing is allocated on the way down but the answer: the key is encoded on the stack (when it
        // fits) and each node is passed through its layout in the file, not decoded into objects.
        var text = KeyText(key);
        int maxBytes = Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> k = maxBytes <= 512 ? stackalloc byte[maxBytes] : new byte[maxBytes];
        k = k[..Encoding.UTF8.GetBytes(text, k)];

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            uint pointer = _rootPointer;
            int i = 0;

            // Each step consumes at least one key byte, so even a looping file ends the descent.
            while ((pointer & IndexFormat.OffsetMask) != 0)
            {
                var node = IndexNode.ReadLayout(_source, pointer, pointer & IndexFormat.OffsetMask);
                if (node.PrefixLength > k.Length - i || !_source.Window(node.PrefixOffset, node.PrefixLength).SequenceEqual(k.Slice(i, node.PrefixLength)))
                    return null;
                i += node.PrefixLength;
                if (i == k.Length)
                {
                    if (node.ValueCount == 0)
                        return null;
                    var (offset, length) = IndexNode.FirstValue(_source, node, order);
                    return Decode(_source.Window(offset, length));
                }

                pointer = IndexNode.ChildPointer(_source, node, k[i]);
                i++;
            }

            return null;
        }
    }

    /// <summary>
    /// Wildcard lookup, as kmod's <c>index_searchwild</c> / <c>index_mm_searchwild</c> (used for
    /// modules.alias.bin, modules.symbols.bin and modules.builtin.alias.bin): the keys of the index are shell
    /// patterns, and every value whose key matches <paramref name="key"/> under <see cref="FnMatch"/>, or
    /// equals it, is returned.
    /// </summary>
    /// <param name="key">The string to match, e.g. a device's modalias; UTF-8, cut at the first NUL.</param>
    /// <param name="order">Which kmod reader's order to give values of equal priority (see <see cref="IndexTieOrder"/>).</param>
    /// <returns>The matching values by ascending priority; empty when nothing matches. A value is listed once
    /// per matching key, so it may repeat, as in kmod.</returns>
    /// <exception cref="ModuleFormatException">A node visited is malformed.</exception>
    /// <exception cref="IOException">Reading the file failed.</exception>
    /// <exception cref="ObjectDisposedException">The index was disposed.</exception>
    public IReadOnlyList<IndexValue> LookupWildcard(string key, IndexTieOrder order = IndexTieOrder.Mmap)
    {
        byte[] k = KeyBytes(key);
        var added = new List<RawValue>();

        // The gate is taken once for the whole search, not for each of the hundreds of nodes it may pass, and the
        // nodes are read through their layout in the file, not decoded into objects.
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            SearchWildcard(k, order, added);
        }

        return Merge(added);
    }

    // Descends along the key like an exact lookup, but searches every subtree that starts with a wildcard.
    private void SearchWildcard(byte[] k, IndexTieOrder order, List<RawValue> added)
    {
        var pattern = new List<byte>();
        uint pointer = _rootPointer;
        int i = 0;

        // Each step consumes at least one key byte, so even a looping file ends the descent.
        while ((pointer & IndexFormat.OffsetMask) != 0)
        {
            var node = IndexNode.ReadLayout(_source, pointer, pointer & IndexFormat.OffsetMask);
            var prefix = _source.Window(node.PrefixOffset, node.PrefixLength);
            for (int j = 0; j < prefix.Length; j++)
            {
                byte ch = prefix[j];
                if (IsWildcard(ch))
                {
                    CollectMatches(node, j, pattern, k.AsSpan(i + j), order, added);
                    return;
                }

                if (i + j >= k.Length || ch != k[i + j])
                    return;
            }

            i += prefix.Length;
            foreach (byte wildcard in "*?["u8)
            {
                uint childPointer = IndexNode.ChildPointer(_source, node, wildcard);
                if ((childPointer & IndexFormat.OffsetMask) == 0)
                    continue;
                pattern.Add(wildcard);
                var child = IndexNode.ReadLayout(_source, childPointer, childPointer & IndexFormat.OffsetMask);
                CollectMatches(child, 0, pattern, k.AsSpan(i), order, added);
                pattern.RemoveAt(pattern.Count - 1);
            }

            if (i == k.Length)
            {
                if (node.ValueCount > 0)
                    added.AddRange(InReaderOrder(IndexNode.DecodeValues(_source, node), order));
                return;
            }

            pointer = IndexNode.ChildPointer(_source, node, k[i]);
            i++;
        }
    }

    private static bool IsWildcard(byte ch) => ch is (byte)'*' or (byte)'?' or (byte)'[';

    private static bool MatchPrefix(byte[] prefix, byte[] key, int at) =>
        prefix.Length <= key.Length - at && prefix.AsSpan().SequenceEqual(key.AsSpan(at, prefix.Length));

    /// <summary>
    /// Tests every key in the subtree of <paramref name="start"/> against <paramref name="subkey"/>. The
    /// pattern is rebuilt from the wildcard on (<paramref name="pattern"/> holds what precedes this node's
    /// prefix from position <paramref name="j"/>). Children are searched before the node's own values, in
    /// ascending character order, as kmod's <c>index_searchwild__all</c> does; an explicit stack replaces
    /// its recursion so that no file can exhaust the call stack, and a node met twice (a loop, or subtrees
    /// shared, which depmod never writes) ends the search with an error instead of running forever.
    /// </summary>
    private void CollectMatches(IndexNode.Layout start, int j, List<byte> pattern, ReadOnlySpan<byte> subkey,
        IndexTieOrder order, List<RawValue> added)
    {
        long budget = TraversalBudget;
        var frames = new List<LayoutFrame>();
        pattern.AddRange(_source.Window(start.PrefixOffset + j, start.PrefixLength - j));
        frames.Add(new LayoutFrame(start, 0, start.PrefixLength - j));
        while (frames.Count > 0)
        {
            var frame = frames[^1];
            var node = frame.Node;
            int slot = frame.NextSlot;
            uint childPointer = 0;
            while (slot < node.ChildCount && ((childPointer = IndexNode.ChildAt(_source, node, slot)) & IndexFormat.OffsetMask) == 0)
                slot++;

            if (slot < node.ChildCount)
            {
                frames[^1] = frame with { NextSlot = slot + 1 };
                var child = ReadTreeChildLayout(childPointer, ref budget);
                pattern.Add((byte)(node.First + slot));
                pattern.AddRange(_source.Window(child.PrefixOffset, child.PrefixLength));
                frames.Add(new LayoutFrame(child, 0, 1 + child.PrefixLength));
                continue;
            }

            if (node.ValueCount > 0 && FnMatch.IsMatch(CollectionsMarshal.AsSpan(pattern), subkey))
                added.AddRange(InReaderOrder(IndexNode.DecodeValues(_source, node), order));
            pattern.RemoveRange(pattern.Count - frame.Pushed, frame.Pushed);
            frames.RemoveAt(frames.Count - 1);
        }
    }

    /// <summary>
    /// A node's values in the order kmod's reader holds them. The mmap reader keeps file order; the stdio
    /// reader inserts each value read before the first one of greater or equal priority (kmod's
    /// <c>add_value</c>), which sorts by priority and reverses ties.
    /// </summary>
    private static RawValue[] InReaderOrder(RawValue[] values, IndexTieOrder order) =>
        order == IndexTieOrder.Mmap || values.Length < 2 ? values : InsertionOrder(values);

    /// <summary>
    /// The list kmod's <c>add_value</c> builds from values inserted in the given order: ascending priority,
    /// and among equal priorities the latest inserted first (a stable sort of the reversed sequence).
    /// </summary>
    private static RawValue[] InsertionOrder(IReadOnlyList<RawValue> inserted)
    {
        var result = new RawValue[inserted.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = inserted[result.Length - 1 - i];
        return [.. result.OrderBy(v => v.Priority)];
    }

    /// <summary>Wildcard results as kmod collects them: every matching node's values go through <c>add_value</c>.</summary>
    private static IndexValue[] Merge(List<RawValue> added)
    {
        var merged = InsertionOrder(added);
        var result = new IndexValue[merged.Length];
        for (int i = 0; i < merged.Length; i++)
            result[i] = new IndexValue(Decode(merged[i].Value), merged[i].Priority);
        return result;
    }

    /// <summary>A node being traversed: its next child slot, and how many pattern bytes it pushed.</summary>
    private readonly record struct Frame(IndexNode Node, int NextSlot, int Pushed);
}
