using System.Text;

namespace ModKit.Elf;

/// <summary>
/// One string per distinct symbol name, shared by every module read with the same table: depmod holds the
/// needed symbols of a whole tree (over 400,000 on Debian's, nearly all of them the same few thousand kernel
/// functions) until it resolves them, and a name decoded once is then kept once. Safe for concurrent use.
/// </summary>
public sealed class SymbolNameTable
{
    // Longer names are decoded into a new string before the lookup rather than on the stack.
    private const int StackLimit = 256;

    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>Creates an empty table.</summary>
    public SymbolNameTable() => _lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The number of distinct names held.</summary>
    public int Count
    {
        get
        {
            lock (_names)
                return _names.Count;
        }
    }

    /// <summary>The shared string for a UTF-8 name (invalid bytes become U+FFFD, as <see cref="Encoding.UTF8"/> decodes them).</summary>
    /// <param name="utf8">The name's bytes.</param>
    /// <returns>The string, the same instance for the same name.</returns>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        int maxChars = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        if (maxChars > StackLimit)
            return Add(Encoding.UTF8.GetString(utf8));

        Span<char> chars = stackalloc char[maxChars];
        chars = chars[..Encoding.UTF8.GetChars(utf8, chars)];
        lock (_names)
        {
            if (_lookup.TryGetValue(chars, out string? known))
                return known;
            string name = chars.ToString();
            _names.Add(name, name);
            return name;
        }
    }

    private string Add(string name)
    {
        lock (_names)
        {
            if (_names.TryGetValue(name, out string? known))
                return known;
            _names.Add(name, name);
            return name;
        }
    }
}
