namespace ModKit.Elf;

/// <summary>
/// kmod_elf_crc_find: the first <c>__versions</c> record whose name equals a symbol's byte for byte. Modules need
/// hundreds of symbols with as many records, so past a few records the first index of each name's hash is looked
/// up; a hash shared by two names falls back to the scan from the first record.
/// </summary>
internal sealed class VersionRecordLookup
{
    private const int ScanLimit = 16;
    private readonly VersionRecord[] _records;
    private readonly Dictionary<int, int>? _firstByHash;

    /// <summary>Indexes <paramref name="records"/>, read from <paramref name="data"/>.</summary>
    public VersionRecordLookup(VersionRecord[] records, ReadOnlySpan<byte> data)
    {
        _records = records;
        if (records.Length > ScanLimit)
        {
            _firstByHash = new Dictionary<int, int>(records.Length);
            for (int v = 0; v < records.Length; v++)
                _firstByHash.TryAdd(Hash(records[v].Name(data)), v);
        }
    }

    /// <summary>The index of the first record called <paramref name="name"/>, or -1.</summary>
    public int Find(ReadOnlySpan<byte> name, ReadOnlySpan<byte> data)
    {
        if (_firstByHash is not null)
        {
            // The first record with this hash comes no later than the first with this name.
            if (!_firstByHash.TryGetValue(Hash(name), out int first))
                return -1;
            if (_records[first].Name(data).SequenceEqual(name))
                return first;
        }

        for (int v = 0; v < _records.Length; v++)
        {
            if (_records[v].Name(data).SequenceEqual(name))
                return v;
        }

        return -1;
    }

    private static int Hash(ReadOnlySpan<byte> name)
    {
        var hash = default(HashCode);
        hash.AddBytes(name);
        return hash.ToHashCode();
    }
}
