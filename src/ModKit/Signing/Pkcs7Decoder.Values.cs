using System.Buffers;

namespace ModKit.Signing;

/// <summary>Primitive values: what OpenSSL 3.0's <c>asn1_d2i_ex_primitive</c> and <c>asn1_ex_c2i</c> accept.</summary>
internal static partial class Pkcs7Decoder
{
    // Universal tag numbers with a content rule of their own.
    private const int TagBoolean = 1;
    private const int TagInteger = 2;
    private const int TagBitString = 3;
    private const int TagOctetString = 4;
    private const int TagNull = 5;
    private const int TagObjectIdentifier = 6;
    private const int TagEnumerated = 10;
    private const int TagUtf8String = 12;
    private const int TagUtcTime = 23;
    private const int TagGeneralizedTime = 24;
    private const int TagSequence = 16;
    private const int TagSet = 17;
    private const int TagPrintableString = 19;
    private const int TagT61String = 20;
    private const int TagIa5String = 22;
    private const int TagUniversalString = 28;
    private const int TagBmpString = 30;

    /// <summary>ANY: the type comes from the tag found.</summary>
    private const int TypeAny = -4;

    /// <summary>An ANY with a non-universal tag: kept as the whole encoding, contents unchecked.</summary>
    private const int TypeOther = -3;

    /// <summary>OpenSSL's limit for constructed strings inside constructed strings (ASN1_MAX_STRING_NEST).</summary>
    private const int MaxStringNesting = 5;

    /// <summary>
    /// Reads one value of universal type <paramref name="type"/> (or <see cref="TypeAny"/>), under an IMPLICIT
    /// tag when <paramref name="implicitTag"/> is not negative. <paramref name="value"/> is what OpenSSL keeps:
    /// the contents (reassembled from a constructed string), or for SEQUENCE, SET and non-universal ANY the whole
    /// encoding; <paramref name="type"/> reports the type actually read.
    /// </summary>
    private static BerOutcome ReadValue(ref BerReader reader, int depth, ref int type, int implicitTag, bool optional, out Value value)
    {
        value = default;
        if (++depth > MaxItemDepth || !reader.TryPeekHeader(out BerHeader header))
        {
            return BerOutcome.Failed;
        }

        if (type == TypeAny)
        {
            type = header.TagClass == BerReader.Universal ? header.TagNumber : TypeOther;
        }

        if (type != TypeOther)
        {
            bool tagMatches = implicitTag >= 0
                ? header.Is(implicitTag, BerReader.ContextSpecific)
                : header.Is(type, BerReader.Universal);
            if (!tagMatches)
            {
                return optional ? BerOutcome.Absent : BerOutcome.Failed;
            }
        }

        if (type is TagSequence or TagSet or TypeOther)
        {
            if (type != TypeOther && !header.IsConstructed)
            {
                return BerOutcome.Failed;
            }

            if (!reader.TrySkip(header))
            {
                return BerOutcome.Failed;
            }

            value = new Value(header.Start, reader.Position - header.Start, null);
            return BerOutcome.Read;
        }

        if (header.IsConstructed)
        {
            if (type is TagNull or TagBoolean or TagObjectIdentifier or TagInteger or TagEnumerated)
            {
                return BerOutcome.Failed;
            }

            var pieces = new ArrayBufferWriter<byte>();
            if (!TryCollect(ref reader, header, 0, pieces))
            {
                return BerOutcome.Failed;
            }

            value = new Value(0, 0, pieces.WrittenSpan.ToArray());
        }
        else
        {
            value = new Value(header.ContentStart, header.ContentEnd - header.ContentStart, null);
            reader.Position = header.ContentEnd;
        }

        return HasValidContents(type, value.In(reader.Buffer), reader.OpenSsl35) ? BerOutcome.Read : BerOutcome.Failed;
    }

    /// <summary>
    /// Concatenates the primitive pieces of a constructed string (OpenSSL <c>asn1_collect</c>: any tag is
    /// accepted for the pieces, nesting is limited, and the end-of-contents marker only ends the indefinite form).
    /// </summary>
    private static bool TryCollect(ref BerReader reader, BerHeader header, int nesting, ArrayBufferWriter<byte> pieces)
    {
        BerReader body = reader.OpenContents(header);
        bool awaitingEnd = header.IsIndefinite;
        while (body.Remaining > 0)
        {
            if (body.TrySkipEndOfContents())
            {
                if (!awaitingEnd)
                {
                    return false;
                }

                awaitingEnd = false;
                break;
            }

            if (!body.TryPeekHeader(out BerHeader piece))
            {
                return false;
            }

            if (piece.IsConstructed)
            {
                if (nesting >= MaxStringNesting || !TryCollect(ref body, piece, nesting + 1, pieces))
                {
                    return false;
                }
            }
            else
            {
                pieces.Write(body.Buffer[piece.ContentStart..piece.ContentEnd]);
                body.Position = piece.ContentEnd;
            }
        }

        if (awaitingEnd)
        {
            return false;
        }

        reader.Position = body.Position;
        return true;
    }

    /// <summary>
    /// The per-type content checks of OpenSSL's <c>asn1_ex_c2i</c>; OpenSSL 3.5 also refuses a UTCTime shorter than
    /// <c>YYMMDDHHMMSSZ</c> and a GeneralizedTime shorter than <c>YYYYMMDDHHMMSSZ</c> (only the length: found by running
    /// kmod 34.2 on crafted values).
    /// </summary>
    private static bool HasValidContents(int type, ReadOnlySpan<byte> contents, bool openSsl35) => type switch
    {
        TagUtcTime when openSsl35 => contents.Length >= 13,
        TagGeneralizedTime when openSsl35 => contents.Length >= 15,
        TagObjectIdentifier => IsValidObjectIdentifier(contents),
        TagNull => contents.IsEmpty,
        TagBoolean => contents.Length == 1,
        TagBitString => contents.Length >= 1 && contents[0] <= 7,
        TagInteger or TagEnumerated => IsMinimalInteger(contents),
        TagBmpString => contents.Length % 2 == 0,
        TagUniversalString => contents.Length % 4 == 0,
        _ => true,
    };

    /// <summary>At least one byte, the last without the continuation bit, no subidentifier starting with 0x80.</summary>
    private static bool IsValidObjectIdentifier(ReadOnlySpan<byte> contents)
    {
        if (contents.IsEmpty || (contents[^1] & 0x80) != 0)
        {
            return false;
        }

        for (int i = 0; i < contents.Length; i++)
        {
            if (contents[i] == 0x80 && (i == 0 || (contents[i - 1] & 0x80) == 0))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Not empty, and no redundant leading 0x00 or 0xFF (OpenSSL <c>c2i_ibuf</c>: "illegal padding").</summary>
    private static bool IsMinimalInteger(ReadOnlySpan<byte> contents)
    {
        if (contents.IsEmpty)
        {
            return false;
        }

        if (contents.Length == 1)
        {
            return true;
        }

        bool negative = (contents[0] & 0x80) != 0;
        bool padded = contents[0] == 0x00 || (contents[0] == 0xFF && contents[1..].IndexOfAnyExcept((byte)0) >= 0);
        return !(padded && negative == ((contents[1] & 0x80) != 0));
    }

    /// <summary>
    /// The magnitude of a two's-complement INTEGER as big-endian bytes without leading zeros, which is what
    /// <c>BN_bn2bin(ASN1_INTEGER_to_BN(…))</c> gives kmod: the sign is lost, and zero has no bytes at all.
    /// </summary>
    private static byte[] IntegerMagnitude(ReadOnlySpan<byte> contents)
    {
        byte[] magnitude = contents.ToArray();
        if ((contents[0] & 0x80) != 0)
        {
            int carry = 1;
            for (int i = magnitude.Length - 1; i >= 0; i--)
            {
                int sum = (byte)~magnitude[i] + carry;
                magnitude[i] = (byte)sum;
                carry = sum >> 8;
            }
        }

        int firstSignificant = Array.FindIndex(magnitude, b => b != 0);
        return firstSignificant < 0 ? [] : magnitude[firstSignificant..];
    }

    private static BerOutcome ReadInteger(ref BerReader reader, int depth, out Value contents)
    {
        int type = TagInteger;
        return ReadValue(ref reader, depth, ref type, -1, optional: false, out contents);
    }

    private static BerOutcome ReadObjectIdentifier(ref BerReader reader, int depth, out Value contents)
    {
        int type = TagObjectIdentifier;
        return ReadValue(ref reader, depth, ref type, -1, optional: false, out contents);
    }

    private static BerOutcome ReadOctetString(ref BerReader reader, int depth, int implicitTag, out Value contents)
    {
        int type = TagOctetString;
        return ReadValue(ref reader, depth, ref type, implicitTag, optional: false, out contents);
    }

    /// <summary>Where a value read by <see cref="ReadValue"/> is: a range of the input, or reassembled pieces.</summary>
    private readonly struct Value
    {
        private readonly int _start;
        private readonly int _length;
        private readonly byte[]? _pieces;

        public Value(int start, int length, byte[]? pieces)
        {
            _start = start;
            _length = length;
            _pieces = pieces;
        }

        public ReadOnlySpan<byte> In(ReadOnlySpan<byte> input) => _pieces ?? input.Slice(_start, _length);
    }

    private static BerOutcome ReadAny(ref BerReader reader, int depth)
    {
        int type = TypeAny;
        return ReadValue(ref reader, depth, ref type, -1, optional: false, out _);
    }
}
