using System.Text;

namespace ModKit.Elf;

/// <summary>
/// One string per distinct symbol name, shared by every module read with the same table: depmod holds the
/// needed symbols of a whole tree (over 400,000 on Debian's, nearly all of them the same few thousand kernel
/// functions) until it resolves them, and a name decoded once is then kept once, under a number of its own.
/// Safe for concurrent use.
/// </summary>
public sealed class SymbolNameTable
{
    // Longer names are decoded into a new string before the lookup rather than on the stack.
    private const int StackLimit = 256;

    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<string> _names = [];

    /// <summary>Creates an empty table.</summary>
    public SymbolNameTable() => _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The number of distinct names held.</summary>
    public int Count
    {
        get
        {
            lock (_ids)
                return _names.Count;
        }
    }

    /// <summary>The shared string for a UTF-8 name (invalid bytes become U+FFFD, as <see cref="Encoding.UTF8"/> decodes them).</summary>
    /// <param name="utf8">The name's bytes.</param>
    /// <returns>The string, the same instance for the same name.</returns>
    public string Get(ReadOnlySpan<byte> utf8) => this[GetId(utf8)];

    /// <summary>The number of a name: 0 for the first name added, 1 for the next, the same for the same name.</summary>
    internal int GetId(ReadOnlySpan<byte> utf8)
    {
        int maxChars = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        if (maxChars > StackLimit)
            return Add(Encoding.UTF8.GetString(utf8));

        Span<char> chars = stackalloc char[maxChars];
        chars = chars[..Encoding.UTF8.GetChars(utf8, chars)];
        lock (_ids)
        {
            if (_lookup.TryGetValue(chars, out int known))
                return known;
            return AddLocked(chars.ToString());
        }
    }

    /// <summary>The name with a number <see cref="GetId"/> gave.</summary>
    internal string this[int id]
    {
        get
        {
            lock (_ids)
                return _names[id];
        }
    }

    private int Add(string name)
    {
        lock (_ids)
            return _ids.TryGetValue(name, out int known) ? known : AddLocked(name);
    }

    private int AddLocked(string name)
    {
        int id = _names.Count;
        _ids.Add(name, id);
        _names.Add(name);
        return id;
    }
}
