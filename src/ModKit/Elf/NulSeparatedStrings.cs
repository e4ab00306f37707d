namespace ModKit.Elf;

/// <summary>
/// Splits a section of NUL-separated strings (<c>.modinfo</c>, <c>__ksymtab_strings</c>) with kmod's
/// rules: leading NUL padding is skipped (keeping at least one byte), a remainder of one byte or less
/// holds nothing, runs of NULs separate strings, and a last string without its NUL still counts.
/// </summary>
internal static class NulSeparatedStrings
{
    public static List<Range> Split(ReadOnlySpan<byte> span)
    {
        var result = new List<Range>();
        int start = 0;
        while (start < span.Length - 1 && span[start] == 0)
        {
            start++;
        }

        if (span.Length - start <= 1)
        {
            return result;
        }

        for (int pos = start; pos < span.Length;)
        {
            int len = span[pos..].IndexOf((byte)0);
            if (len < 0)
            {
                len = span.Length - pos;
            }

            if (len > 0)
            {
                result.Add(new Range(pos, pos + len));
            }

            pos += len + 1;
        }

        return result;
    }
}
