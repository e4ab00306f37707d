using System.Buffers.Binary;
using System.Text.Unicode;

namespace ModKit.Signing;

/// <summary>The issuer Name, and which of its values kmod prints as <c>signer</c>.</summary>
internal static partial class Pkcs7Decoder
{
    /// <summary>OpenSSL reads at most this much for one Name (x_name.c, X509_NAME_MAX).</summary>
    private const int MaxNameLength = 1024 * 1024;

    /// <summary>
    /// The universal tags OpenSSL accepts as an attribute value (ASN1_PRINTABLE: B_ASN1_PRINTABLE through
    /// <c>ASN1_tag2bit</c>): BIT STRING, ObjectDescriptor, EXTERNAL, REAL, EMBEDDED PDV, UTF8String,
    /// RELATIVE-OID, 14, 15, SEQUENCE, NumericString, PrintableString, T61String, IA5String, UniversalString,
    /// CHARACTER STRING, BMPString. Notably not VisibleString, GeneralString or SET.
    /// </summary>
    private static bool IsAcceptedAttributeValueTag(int tag) =>
        tag is 3 or 7 or 8 or 9 or 11 or 12 or 13 or 14 or 15 or 16 or 18 or 19 or 20 or 22 or 28 or 29 or 30;

    private static ReadOnlySpan<byte> CommonNameOid => [0x55, 0x04, 0x03]; // 2.5.4.3

    /// <summary>
    /// Reads a Name (SEQUENCE OF SET OF AttributeTypeAndValue) and picks kmod's <c>signer</c>: the value of the
    /// first commonName, or else, because kmod's loop leaves its cursor on the last attribute, the value of the
    /// last attribute; nothing for an empty Name. The bytes are the value as stored, cut at the first NUL (kmod
    /// takes <c>strlen</c>), so a BMPString usually gives nothing.
    /// </summary>
    private static BerOutcome ReadName(ref BerReader reader, int depth, out byte[] signer)
    {
        signer = [];
        if (++depth > MaxItemDepth)
        {
            return BerOutcome.Failed;
        }

        // x509_name_ex_d2i clamps what it may read, then decodes its own item tree from depth 0.
        // The Name and its RDNs are SEQUENCE OF / SET OF templates, for which OpenSSL ignores the constructed bit.
        var name = new BerReader(reader.Buffer, reader.Position, (int)Math.Min(reader.End, (long)reader.Position + MaxNameLength), reader.OpenSsl35);
        if (!name.TryPeekHeader(out BerHeader nameHeader) || !nameHeader.Is(TagSequence, BerReader.Universal))
        {
            return BerOutcome.Failed;
        }

        var rdns = new BerConstructed(name, nameHeader);

        byte[] chosen = [];
        bool haveCommonName = false;
        while (rdns.HasField())
        {
            if (!rdns.Body.TryPeekHeader(out BerHeader setHeader) || !setHeader.Is(TagSet, BerReader.Universal))
            {
                return BerOutcome.Failed;
            }

            var attributes = new BerConstructed(rdns.Body, setHeader);
            while (attributes.HasField())
            {
                if (!TryReadAttribute(ref attributes.Body, out Value oid, out int type, out Value value)
                    || !IsCanonicalizable(type, value.In(reader.Buffer)))
                {
                    return BerOutcome.Failed;
                }

                if (!haveCommonName)
                {
                    ReadOnlySpan<byte> data = value.In(reader.Buffer);
                    chosen = type == TagBitString ? BitStringData(data) : data.ToArray();
                    haveCommonName = oid.In(reader.Buffer).SequenceEqual(CommonNameOid);
                }
            }

            if (!attributes.TryFinish(ref rdns.Body.Position))
            {
                return BerOutcome.Failed;
            }
        }

        if (!rdns.TryFinish(ref name.Position))
        {
            return BerOutcome.Failed;
        }

        int nul = Array.IndexOf(chosen, (byte)0);
        signer = nul < 0 ? chosen : chosen[..nul];
        reader.Position = name.Position;
        return BerOutcome.Read;
    }

    /// <summary>AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ASN1_PRINTABLE }.</summary>
    private static bool TryReadAttribute(ref BerReader reader, out Value oid, out int type, out Value value)
    {
        oid = default;
        value = default;
        type = 0;
        if (!TryOpenSequence(ref reader, out BerConstructed fields)
            || !fields.HasField()
            || ReadObjectIdentifier(ref fields.Body, 0, out oid) != BerOutcome.Read
            || !fields.HasField()
            || !fields.Body.TryPeekHeader(out BerHeader valueHeader)
            || valueHeader.TagClass != BerReader.Universal
            || !IsAcceptedAttributeValueTag(valueHeader.TagNumber))
        {
            return false;
        }

        type = valueHeader.TagNumber;
        return ReadValue(ref fields.Body, 0, ref type, -1, optional: false, out value) == BerOutcome.Read
            && fields.TryFinish(ref reader.Position);
    }

    /// <summary>
    /// OpenSSL builds a canonical (UTF-8, lower-case) copy of every Name while decoding it; a string it cannot
    /// convert to UTF-8 makes the whole PKCS#7 fail. Single-byte types always convert.
    /// </summary>
    private static bool IsCanonicalizable(int type, ReadOnlySpan<byte> value)
    {
        switch (type)
        {
            case TagUtf8String:
                return Utf8.IsValid(value);
            case TagBmpString:
                for (int i = 0; i + 1 < value.Length; i += 2)
                {
                    if (!IsUnicodeScalar(BinaryPrimitives.ReadUInt16BigEndian(value[i..])))
                    {
                        return false;
                    }
                }

                return true;
            case TagUniversalString:
                for (int i = 0; i + 3 < value.Length; i += 4)
                {
                    if (!IsUnicodeScalar(BinaryPrimitives.ReadUInt32BigEndian(value[i..])))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }

    private static bool IsUnicodeScalar(uint value) => value <= 0x10FFFF && (value < 0xD800 || value > 0xDFFF);

    /// <summary>
    /// The data OpenSSL stores for a BIT STRING: the bytes after the unused-bits count, with the unused bits of
    /// the last byte cleared. (It stores them without a terminating NUL, so kmod's <c>strlen</c> may read past
    /// them; ModKit stops at their end.)
    /// </summary>
    private static byte[] BitStringData(ReadOnlySpan<byte> contents)
    {
        if (contents.Length <= 1)
        {
            return [];
        }

        byte[] data = contents[1..].ToArray();
        data[^1] &= (byte)(0xFF << contents[0]);
        return data;
    }
}
