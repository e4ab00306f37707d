namespace ModKit.Depmod;

/// <summary>
/// The iteration order of kmod's internal hash table (<c>shared/hash.c</c>): buckets 0..n-1 chosen by Paul
/// Hsieh's SuperFastHash of the key, entries of a bucket sorted by <c>strcmp</c>. depmod lists modules that
/// modules.order does not mention, and writes modules.symbols, in this order.
/// </summary>
internal static class KmodHashOrder
{
    /// <summary>Buckets of depmod's module-name table (<c>hash_new(512, ...)</c>).</summary>
    public const int ModuleBuckets = 512;

    /// <summary>Buckets of depmod's symbol table (<c>hash_new(2048, ...)</c>).</summary>
    public const int SymbolBuckets = 2048;

    /// <summary>
    /// Sorts <paramref name="items"/> by kmod's iteration order of their keys in a table of <paramref name="buckets"/> (a
    /// power of two): by bucket, then by strcmp,
    /// each key hashed once (a comparison that hashed both keys hashed each one about 30 times over a tree's symbols).
    /// </summary>
    public static void Sort<T>(List<T> items, Func<T, string> key, int buckets)
    {
        var keyed = new (uint Bucket, string Key, T Item)[items.Count];
        for (int i = 0; i < keyed.Length; i++)
        {
            string k = key(items[i]);
            keyed[i] = (Hash(k) & (uint)(buckets - 1), k, items[i]);
        }

        Array.Sort(keyed, static (a, b) =>
        {
            int c = a.Bucket.CompareTo(b.Bucket);
            return c != 0 ? c : string.CompareOrdinal(a.Key, b.Key);
        });
        for (int i = 0; i < keyed.Length; i++)
            items[i] = keyed[i].Item;
    }

    /// <summary>SuperFastHash over the key's bytes, 16-bit loads little-endian as on the machines kmod runs on here (x86).</summary>
    public static uint Hash(string key)
    {
        Span<byte> buffer = key.Length <= 256 ? stackalloc byte[key.Length * 3] : new byte[key.Length * 3];
        int length = System.Text.Encoding.UTF8.GetBytes(key, buffer);
        return Hash(buffer[..length]);
    }

    public static uint Hash(ReadOnlySpan<byte> key)
    {
        uint hash = (uint)key.Length;
        int rem = key.Length & 3;
        int i = 0;
        for (int blocks = key.Length / 4; blocks > 0; blocks--, i += 4)
        {
            hash += Load16(key, i);
            uint tmp = (Load16(key, i + 2) << 11) ^ hash;
            hash = (hash << 16) ^ tmp;
            hash += hash >> 11;
        }

        // kmod reads the tail through a (signed) char pointer.
        switch (rem)
        {
            case 3:
                hash += Load16(key, i);
                hash ^= hash << 16;
                hash ^= (uint)((sbyte)key[i + 2] << 18);
                hash += hash >> 11;
                break;
            case 2:
                hash += Load16(key, i);
                hash ^= hash << 11;
                hash += hash >> 17;
                break;
            case 1:
                hash += (uint)(sbyte)key[i];
                hash ^= hash << 10;
                hash += hash >> 1;
                break;
        }

        hash ^= hash << 3;
        hash += hash >> 5;
        hash ^= hash << 4;
        hash += hash >> 17;
        hash ^= hash << 25;
        hash += hash >> 6;
        return hash;
    }

    private static uint Load16(ReadOnlySpan<byte> key, int at) => (uint)(key[at] | (key[at + 1] << 8));
}
