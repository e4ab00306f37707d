namespace ModKit.Tests.Robustness;

/// <summary>
/// Deterministic corruptions of a file's bytes: truncations, overwritten header and section-table
/// fields, flipped bits, and damage at the end where a signature trailer lives. The same seed gives
/// the same list.
/// </summary>
internal static class Mutations
{
    public static IEnumerable<(string Label, byte[] Data)> Of(byte[] original, int seed, int randomCount, int? sectionTableOffset = null, int sectionEntrySize = 64, int sectionCount = 0)
    {
        var random = new Random(seed);

        // Truncations: every byte of the first 80, then spread over the file, then near the end.
        foreach (int length in Enumerable.Range(0, 80)
                     .Concat(Enumerable.Range(1, 40).Select(i => (int)((long)original.Length * i / 41)))
                     .Concat(Enumerable.Range(1, 60).Select(i => original.Length - i)))
        {
            if (length >= 0 && length < original.Length)
            {
                yield return ($"truncate {length}", original[..length]);
            }
        }

        // Every header byte set to values that mean something to a parser.
        byte[] interesting = [0x00, 0x01, 0x02, 0x7F, 0x80, 0xFF];
        for (int offset = 0; offset < Math.Min(64, original.Length); offset++)
        {
            foreach (byte value in interesting)
            {
                if (original[offset] != value)
                {
                    yield return ($"header[{offset}]={value:X2}", With(original, offset, value));
                }
            }
        }

        // Section headers: offsets, sizes and name offsets made huge or shifted.
        if (sectionTableOffset is int table)
        {
            for (int s = 0; s < sectionCount; s++)
            {
                int entry = table + s * sectionEntrySize;
                foreach (int field in new[] { 0, 24, 32 })
                {
                    if (entry + field + 8 > original.Length)
                    {
                        continue;
                    }

                    var huge = (byte[])original.Clone();
                    huge.AsSpan(entry + field, field == 0 ? 4 : 8).Fill(0xFF);
                    yield return ($"section {s} field {field} = all ones", huge);

                    var shifted = (byte[])original.Clone();
                    shifted[entry + field + 1] ^= (byte)random.Next(1, 256);
                    yield return ($"section {s} field {field} shifted", shifted);
                }
            }
        }

        // Damage at the end (signature trailer: magic, lengths, PKCS#7 blob).
        for (int back = 1; back <= Math.Min(600, original.Length); back += back < 48 ? 1 : 37)
        {
            yield return ($"tail[-{back}] flipped", With(original, original.Length - back, (byte)(original[^back] ^ 0x55)));
        }

        // Random bit flips, 1 to 16 at a time.
        for (int i = 0; i < randomCount; i++)
        {
            var copy = (byte[])original.Clone();
            int flips = random.Next(1, 17);
            for (int f = 0; f < flips; f++)
            {
                copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
            }

            yield return ($"random {i} ({flips} flips)", copy);
        }
    }

    private static byte[] With(byte[] data, int offset, byte value)
    {
        var copy = (byte[])data.Clone();
        copy[offset] = value;
        return copy;
    }
}
