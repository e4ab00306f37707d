namespace ModKit.Signing;

/// <summary>
/// A cursor over BER data that accepts exactly what OpenSSL 3.0's decoder accepts (kmod 30 hands the
/// signature to <c>d2i_PKCS7_bio</c>): the indefinite form, non-minimal long-form lengths, and tag numbers
/// below 31 in the high-tag-number form, none of which <c>System.Formats.Asn1</c>'s BER reader allows for tags.
/// Every offset is checked against <see cref="End"/>.
/// </summary>
internal ref struct BerReader
{
    public const int Universal = 0x00;
    public const int ContextSpecific = 0x80;

    private readonly ReadOnlySpan<byte> _buffer;

    public BerReader(ReadOnlySpan<byte> buffer, int start, int end, bool openSsl35 = false)
    {
        _buffer = buffer;
        Position = start;
        End = end;
        OpenSsl35 = openSsl35;
    }

    /// <summary>Decode as OpenSSL 3.5 (<see cref="SignatureRules.Kmod34OpenSsl35"/>) rather than 3.0.</summary>
    public bool OpenSsl35 { get; }

    /// <summary>Offset of the next unread byte.</summary>
    public int Position;

    public int End { get; }

    public readonly int Remaining => End - Position;

    public readonly ReadOnlySpan<byte> Buffer => _buffer;

    /// <summary>True when the next two bytes are an end-of-contents marker (<c>00 00</c>).</summary>
    public readonly bool AtEndOfContents => Remaining >= 2 && _buffer[Position] == 0 && _buffer[Position + 1] == 0;

    /// <summary>A reader over the contents of <paramref name="header"/>.</summary>
    public readonly BerReader OpenContents(BerHeader header) => new(_buffer, header.ContentStart, header.ContentEnd, OpenSsl35);

    /// <summary>
    /// Reads the identifier and length at <see cref="Position"/> without moving. Fails like OpenSSL on a
    /// truncated header, a length of more than 8 significant bytes, an indefinite primitive, or contents
    /// running past <see cref="End"/>.
    /// </summary>
    public readonly bool TryPeekHeader(out BerHeader header)
    {
        header = default;
        if (!TryParseHeader(_buffer[..End], Position, out int tag, out int tagClass, out bool constructed, out bool indefinite, out int contentStart, out long length, OpenSsl35)
            || (!indefinite && length > End - contentStart))
        {
            return false;
        }

        int contentEnd = indefinite ? End : contentStart + (int)length;
        header = new BerHeader(tag, tagClass, constructed, indefinite, Position, contentStart, contentEnd);
        return true;
    }

    /// <summary>
    /// OpenSSL's <c>ASN1_get_object</c> on <paramref name="data"/> from <paramref name="position"/>, without the
    /// check that the contents fit: the identifier (high tag numbers included), then the length.
    /// </summary>
    public static bool TryParseHeader(ReadOnlySpan<byte> data, int position, out int tag, out int tagClass, out bool constructed,
        out bool indefinite, out int contentStart, out long length, bool openSsl35 = false)
    {
        tag = 0;
        tagClass = 0;
        constructed = false;
        indefinite = false;
        contentStart = 0;
        length = 0;
        int p = position;
        int max = data.Length - position;
        if (max <= 0)
        {
            return false;
        }

        byte identifier = data[p++];
        tagClass = identifier & 0xC0;
        constructed = (identifier & 0x20) != 0;
        tag = identifier & 0x1F;
        if (--max == 0)
        {
            return false;
        }

        if (tag == 0x1F)
        {
            // High tag number form: base-128 digits, continuation bit set on all but the last.
            // OpenSSL accepts leading 0x80 digits and small numbers here; it caps the value near INT_MAX.
            long number = 0;
            while ((data[p] & 0x80) != 0)
            {
                number = (number << 7) | (uint)(data[p++] & 0x7F);
                if (--max == 0 || number > (int.MaxValue >> 7))
                {
                    return false;
                }
            }

            number = (number << 7) | (uint)(data[p++] & 0x7F);
            if (--max == 0)
            {
                return false;
            }

            tag = (int)number;
        }

        byte first = data[p++];
        max--;
        indefinite = first == 0x80;
        if (!indefinite)
        {
            int count = first & 0x7F;
            if ((first & 0x80) == 0)
            {
                length = count;
            }
            else
            {
                // OpenSSL 3.0 wants one byte more than the length octets (asn1_get_length: max < i + 1); 3.5 does not.
                if (max < count + (openSsl35 ? 0 : 1))
                {
                    return false;
                }

                while (count > 0 && data[p] == 0)
                {
                    p++;
                    count--;
                }

                if (count > sizeof(long))
                {
                    return false;
                }

                ulong value = 0;
                while (count-- > 0)
                {
                    value = (value << 8) | data[p++];
                }

                if (value > long.MaxValue)
                {
                    return false;
                }

                length = (long)value;
            }
        }

        contentStart = p;
        return !(indefinite && !constructed);
    }

    /// <summary>Consumes an end-of-contents marker if one is next.</summary>
    public bool TrySkipEndOfContents()
    {
        if (!AtEndOfContents)
        {
            return false;
        }

        Position += 2;
        return true;
    }

    /// <summary>
    /// Moves past the element of <paramref name="header"/> without interpreting it; for the indefinite form
    /// this walks nested headers to the matching end-of-contents (OpenSSL <c>asn1_find_end</c>).
    /// </summary>
    public bool TrySkip(BerHeader header)
    {
        if (!header.IsIndefinite)
        {
            Position = header.ContentEnd;
            return true;
        }

        var walker = new BerReader(_buffer, header.ContentStart, End, OpenSsl35);
        long expected = 1;
        while (walker.Remaining > 0)
        {
            if (walker.TrySkipEndOfContents())
            {
                if (--expected == 0)
                {
                    Position = walker.Position;
                    return true;
                }

                continue;
            }

            if (!walker.TryPeekHeader(out BerHeader inner))
            {
                return false;
            }

            if (inner.IsIndefinite)
            {
                expected++;
                walker.Position = inner.ContentStart;
            }
            else
            {
                walker.Position = inner.ContentEnd;
            }
        }

        return false;
    }
}
