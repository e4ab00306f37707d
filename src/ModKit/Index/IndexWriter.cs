using System.Buffers;
using System.Text;

namespace ModKit.Index;

/// <summary>
/// Builds one of kmod's binary index files (<c>modules.dep.bin</c>, <c>modules.alias.bin</c>, ...): a radix
/// (Patricia) trie from 7-bit ASCII keys to prioritised string values (docs/index-format.md; kmod
/// <c>tools/depmod.c: index_insert, index_write</c>). The counterpart of <see cref="IndexFile"/>.
/// </summary>
/// <remarks>
/// <para>
/// Values of one key are kept in ascending priority; a value is inserted before the first stored value whose
/// priority is greater than or equal to its own, so among equal priorities the most recently added comes
/// first. Duplicate key/value pairs are kept, as depmod keeps them, and reported by <see cref="Add(string, string, uint)"/>.
/// Given the same additions in the same order, <see cref="ToArray"/> produces kmod's bytes exactly.
/// </para>
/// <para>
/// The trie lives in a few growing arrays of plain structs (nodes, values, and the bytes of every key and value
/// added), linked by position, not in an object per node: an index of depmod's size is then a handful of
/// allocations the garbage collector neither traces nor copies.
/// </para>
/// <para>Not safe for concurrent use.</para>
/// </remarks>
public sealed partial class IndexWriter
{
    private const int None = -1;

    // The root is node 0; its prefix stays empty.
    private Node[] _nodes = new Node[16];
    private int _nodeCount = 1;
    private ValueEntry[] _values = new ValueEntry[16];
    private byte[] _bytes = new byte[256];
    private int _byteCount;
    private bool _hasNonAsciiKeys;

    /// <summary>Creates an empty index.</summary>
    public IndexWriter() => _nodes[0] = Node.Empty;

    /// <summary>
    /// Whether bytes of 0x80 and more are accepted where they need no child slot: in values and inside node
    /// prefixes. kmod 30 on x86 (signed <c>char</c>) never fires its 7-bit check, so it stores such keys as long
    /// as they do not branch on a non-ASCII byte; where one would, it writes outside its child table instead (memory
    /// corruption), and this writer refuses the key. When false (the default), any such byte is refused, which is
    /// what kmod's check does where <c>char</c> is unsigned (arm, s390x, ppc).
    /// </summary>
    public bool AllowNonAsciiOutsideChildTables { get; init; }

    /// <summary>How many values have been added.</summary>
    public int Count { get; private set; }

    /// <summary>Adds a value under a key.</summary>
    /// <param name="key">The key; its UTF-8 bytes must all be 7-bit ASCII and it must not contain NUL.</param>
    /// <param name="value">The value; the same rules apply.</param>
    /// <param name="priority">The value's priority: depmod uses the module's position in its module order, 0 for builtins.</param>
    /// <returns>Whether the key already held an equal value (depmod <c>-w</c> warns about those); the value is added either way.</returns>
    /// <exception cref="IndexCharacterException">The key or value holds a byte of 0x80 or more.</exception>
    /// <exception cref="ArgumentException">The key or value holds a NUL character.</exception>
    public bool Add(string key, string value, uint priority)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        int keyLength = Encoding.UTF8.GetMaxByteCount(key.Length);
        int total = keyLength + Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = total > StackLimit ? ArrayPool<byte>.Shared.Rent(total) : null;
        try
        {
            Span<byte> buffer = rented ?? stackalloc byte[StackLimit];
            var keyBytes = buffer[..Encoding.UTF8.GetBytes(key, buffer)];
            var valueBytes = buffer.Slice(keyLength, Encoding.UTF8.GetBytes(value, buffer[keyLength..]));
            return Add(keyBytes, valueBytes, priority);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    // Keys and values given as strings are encoded on the stack up to this many bytes together.
    private const int StackLimit = 1024;

    /// <summary>Adds a value under a key given as bytes.</summary>
    /// <param name="key">The key: 7-bit ASCII, no NUL.</param>
    /// <param name="value">The value: 7-bit ASCII, no NUL.</param>
    /// <param name="priority">The value's priority.</param>
    /// <returns>Whether the key already held an equal value; the value is added either way.</returns>
    /// <exception cref="IndexCharacterException">The key or value holds a byte of 0x80 or more.</exception>
    /// <exception cref="ArgumentException">The key or value holds a NUL byte.</exception>
    public bool Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, uint priority)
    {
        // depmod checks both strings before it touches the trie, so a refused pair leaves the index unchanged.
        CheckText(key, nameof(key), AllowNonAsciiOutsideChildTables);
        CheckText(value, nameof(value), AllowNonAsciiOutsideChildTables);
        if (AllowNonAsciiOutsideChildTables)
        {
            // Once a key holds non-ASCII bytes, any later key may split a prefix at one of them.
            _hasNonAsciiKeys |= key.IndexOfAnyInRange((byte)0x80, (byte)0xFF) >= 0;
            if (_hasNonAsciiKeys)
                CheckChildCharacters(key);
        }

        // Prefixes made for this key are ranges of its copy here.
        int keyStart = Append(key);
        int node = FindOrCreate(keyStart, key.Length);
        return AddValue(node, Append(value), value.Length, priority);
    }

    private static void CheckText(ReadOnlySpan<byte> text, string parameter, bool allowNonAscii)
    {
        foreach (byte b in text)
        {
            if (b > IndexFormat.MaxChildChar && !allowNonAscii)
                throw new IndexCharacterException(b, text);
            if (b == 0)
                throw new ArgumentException("Index keys and values are NUL-terminated and cannot hold a NUL byte.", parameter);
        }
    }

    /// <summary>Refuses a key whose insertion would select a child by a non-ASCII byte, before changing anything.</summary>
    private void CheckChildCharacters(ReadOnlySpan<byte> key)
    {
        int node = 0;
        int i = 0;
        while (true)
        {
            var prefix = Prefix(node);
            int common = key[i..].CommonPrefixLength(prefix);
            if (common < prefix.Length)
            {
                // A split branches on the old prefix's byte and, unless the key ends there, on the key's byte.
                if (prefix[common] > IndexFormat.MaxChildChar)
                    throw new IndexCharacterException(prefix[common], key);
                if (i + common < key.Length && key[i + common] > IndexFormat.MaxChildChar)
                    throw new IndexCharacterException(key[i + common], key);
                return;
            }

            i += common;
            if (i == key.Length)
                return;
            byte ch = key[i];
            if (ch > IndexFormat.MaxChildChar)
                throw new IndexCharacterException(ch, key);
            int child = FindChild(node, ch);
            if (child == None)
                return;
            node = child;
            i++;
        }
    }

    /// <summary>
    /// Walks the trie along the key stored at <paramref name="keyStart"/>, splitting a node whose prefix diverges
    /// from the key and adding a leaf for the rest of the key where no child exists. As in depmod, the root's
    /// prefix stays empty: only prefixes of nodes created for a key's remainder are ever non-empty.
    /// </summary>
    private int FindOrCreate(int keyStart, int keyLength)
    {
        int node = 0;
        int i = 0;
        while (true)
        {
            var key = _bytes.AsSpan(keyStart, keyLength);
            int common = key[i..].CommonPrefixLength(Prefix(node));
            if (common < _nodes[node].PrefixLength)
                SplitAt(node, common);
            i += common;
            if (i == keyLength)
                return node;

            byte ch = key[i];
            int child = FindChild(node, ch);
            if (child == None)
            {
                child = NewNode(keyStart + i + 1, keyLength - i - 1);
                InsertChild(node, ch, child);
                return child;
            }

            node = child;
            i++;
        }
    }

    /// <summary>
    /// Splits a node after <paramref name="length"/> prefix bytes: the node keeps the shorter prefix, and a new
    /// child under the first differing prefix byte takes the rest of the prefix, the children and values.
    /// </summary>
    private void SplitAt(int node, int length)
    {
        var old = _nodes[node];
        int moved = NewNode(old.PrefixStart + length + 1, old.PrefixLength - length - 1);
        _nodes[moved].FirstChild = old.FirstChild;
        _nodes[moved].FirstValue = old.FirstValue;
        ref var kept = ref _nodes[node];
        kept.PrefixLength = length;
        kept.FirstChild = None;
        kept.FirstValue = None;
        InsertChild(node, _bytes[old.PrefixStart + length], moved);
    }

    /// <summary>The child under a character, or <see cref="None"/>; children are kept in ascending character order.</summary>
    private int FindChild(int node, byte ch)
    {
        for (int child = _nodes[node].FirstChild; child != None; child = _nodes[child].NextSibling)
        {
            byte c = _nodes[child].Character;
            if (c == ch)
                return child;
            if (c > ch)
                break;
        }

        return None;
    }

    private void InsertChild(int node, byte ch, int child)
    {
        _nodes[child].Character = ch;
        int previous = None;
        int next = _nodes[node].FirstChild;
        while (next != None && _nodes[next].Character < ch)
        {
            previous = next;
            next = _nodes[next].NextSibling;
        }

        _nodes[child].NextSibling = next;
        if (previous == None)
            _nodes[node].FirstChild = child;
        else
            _nodes[previous].NextSibling = child;
    }

    /// <summary>Inserts before the first value of greater or equal priority (depmod <c>index_add_value</c>).</summary>
    private bool AddValue(int node, int start, int length, uint priority)
    {
        var value = _bytes.AsSpan(start, length);
        bool duplicate = false;
        int previous = None;
        int at = None;
        bool placed = false;
        int last = None;
        for (int v = _nodes[node].FirstValue; v != None; v = _values[v].Next)
        {
            ref readonly var entry = ref _values[v];
            if (!placed && entry.Priority >= priority)
            {
                placed = true;
                at = v;
                previous = last;
            }

            if (!duplicate && entry.Length == length && _bytes.AsSpan(entry.Start, length).SequenceEqual(value))
                duplicate = true;
            last = v;
        }

        if (!placed)
            previous = last;
        int added = Count++;
        if (added == _values.Length)
            Array.Resize(ref _values, _values.Length * 2);
        _values[added] = new ValueEntry { Start = start, Length = length, Priority = priority, Next = at };
        if (previous == None)
            _nodes[node].FirstValue = added;
        else
            _values[previous].Next = added;
        return duplicate;
    }

    private int NewNode(int prefixStart, int prefixLength)
    {
        if (_nodeCount == _nodes.Length)
            Array.Resize(ref _nodes, _nodes.Length * 2);
        _nodes[_nodeCount] = Node.Empty with { PrefixStart = prefixStart, PrefixLength = prefixLength };
        return _nodeCount++;
    }

    private int Append(ReadOnlySpan<byte> text)
    {
        if (_bytes.Length - _byteCount < text.Length)
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _byteCount + text.Length));
        int start = _byteCount;
        text.CopyTo(_bytes.AsSpan(start));
        _byteCount += text.Length;
        return start;
    }

    private ReadOnlySpan<byte> Prefix(int node) => _bytes.AsSpan(_nodes[node].PrefixStart, _nodes[node].PrefixLength);

    /// <summary>One trie node: its prefix (a range of the stored bytes), first child, next sibling and first value.</summary>
    private struct Node
    {
        public static readonly Node Empty = new() { FirstChild = None, NextSibling = None, FirstValue = None };

        public int PrefixStart;
        public int PrefixLength;
        public int FirstChild;
        public int NextSibling;
        public int FirstValue;

        /// <summary>The character that selects this node in its parent's child table.</summary>
        public byte Character;
    }

    /// <summary>One value: its bytes (a range of the stored bytes), priority and the next value of the same key.</summary>
    private struct ValueEntry
    {
        public int Start;
        public int Length;
        public uint Priority;
        public int Next;
    }
}
