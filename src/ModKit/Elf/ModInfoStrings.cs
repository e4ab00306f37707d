namespace ModKit.Elf;

/// <summary>
/// Splits a <c>.modinfo</c> section into its entries, with kmod's rules (<c>kmod_elf_get_strings</c>):
/// leading NUL padding is skipped, strings are separated by runs of NULs, and a last string without
/// a NUL still counts. Each string is split at its first <c>=</c>; one without <c>=</c> is a key with an empty value.
/// </summary>
public static class ModInfoStrings
{
    /// <summary>Parses the NUL-separated strings of a <c>.modinfo</c> section.</summary>
    /// <param name="section">The section's bytes.</param>
    /// <returns>The entries, in file order.</returns>
    public static List<ModInfoEntry> Parse(ReadOnlyMemory<byte> section)
    {
        var ranges = NulSeparatedStrings.Split(section.Span);
        var entries = new List<ModInfoEntry>(ranges.Count);
        foreach (var range in ranges)
        {
            entries.Add(Split(section[range]));
        }

        return entries;
    }

    /// <summary>Splits one <c>key=value</c> string at its first <c>=</c>.</summary>
    /// <param name="text">The string without its NUL.</param>
    /// <returns>The entry.</returns>
    public static ModInfoEntry Split(ReadOnlyMemory<byte> text)
    {
        int eq = text.Span.IndexOf((byte)'=');
        return eq < 0
            ? new ModInfoEntry(text, ReadOnlyMemory<byte>.Empty)
            : new ModInfoEntry(text[..eq], text[(eq + 1)..]);
    }
}
