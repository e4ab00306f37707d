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
/// <para>Not safe for concurrent use.</para>
/// </remarks>
public sealed partial class IndexWriter
{
    private readonly Node _root = new([]);
    private bool _hasNonAsciiKeys;

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
        return Add(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value), priority);
    }

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

        var node = FindOrCreate(key);
        Count++;
        return node.AddValue(value.ToArray(), priority);
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
        var node = _root;
        int i = 0;
        while (true)
        {
            var prefix = node.Prefix;
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
            var child = node.Child(ch);
            if (child is null)
                return;
            node = child;
            i++;
        }
    }

    /// <summary>
    /// Walks the trie along <paramref name="key"/>, splitting a node whose prefix diverges from the key and
    /// adding a leaf for the rest of the key where no child exists. As in depmod, the root's prefix stays
    /// empty: only prefixes of nodes created for a key's remainder are ever non-empty.
    /// </summary>
    private Node FindOrCreate(ReadOnlySpan<byte> key)
    {
        var node = _root;
        int i = 0;
        while (true)
        {
            var prefix = node.Prefix;
            int common = key[i..].CommonPrefixLength(prefix);
            if (common < prefix.Length)
                node.SplitAt(common);
            i += common;
            if (i == key.Length)
                return node;

            byte ch = key[i];
            var child = node.Child(ch);
            if (child is null)
            {
                child = new Node(key[(i + 1)..].ToArray());
                node.SetChild(ch, child);
                return child;
            }

            node = child;
            i++;
        }
    }

    private sealed class Node(byte[] prefix)
    {
        public byte[] Prefix { get; private set; } = prefix;

        /// <summary>Child slots for characters <see cref="First"/>..First+Length-1, as the file stores them.</summary>
        public Node?[] Children { get; private set; } = [];

        public byte First { get; private set; }

        public List<(uint Priority, byte[] Value)>? Values { get; private set; }

        public Node? Child(byte ch)
        {
            int slot = ch - First;
            return (uint)slot < (uint)Children.Length ? Children[slot] : null;
        }

        public void SetChild(byte ch, Node child)
        {
            if (Children.Length == 0)
            {
                First = ch;
                Children = new Node?[1];
            }
            else if (ch < First || ch >= First + Children.Length)
            {
                byte first = Math.Min(First, ch);
                int last = Math.Max(First + Children.Length - 1, ch);
                var grown = new Node?[last - first + 1];
                Children.CopyTo(grown, First - first);
                First = first;
                Children = grown;
            }

            Children[ch - First] = child;
        }

        /// <summary>
        /// Splits this node after <paramref name="length"/> prefix bytes: the node keeps the shorter prefix, and a
        /// new child under the first differing prefix byte takes the rest of the prefix, the children and values.
        /// </summary>
        public void SplitAt(int length)
        {
            var moved = new Node(Prefix[(length + 1)..])
            {
                Children = Children,
                First = First,
                Values = Values,
            };
            byte ch = Prefix[length];
            Prefix = Prefix[..length];
            Children = [];
            First = 0;
            Values = null;
            SetChild(ch, moved);
        }

        /// <summary>Inserts before the first value of greater or equal priority (depmod <c>index_add_value</c>).</summary>
        public bool AddValue(byte[] value, uint priority)
        {
            var values = Values ??= [];
            bool duplicate = false;
            int at = values.Count;
            for (int v = 0; v < values.Count; v++)
            {
                if (at == values.Count && values[v].Priority >= priority)
                    at = v;
                if (!duplicate && values[v].Value.AsSpan().SequenceEqual(value))
                    duplicate = true;
            }

            values.Insert(at, (priority, value));
            return duplicate;
        }
    }
}
