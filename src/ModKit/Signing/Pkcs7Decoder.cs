namespace ModKit.Signing;

/// <summary>
/// Decodes the PKCS#7 (CMS SignedData) blob of an appended module signature the way kmod 30 built with
/// OpenSSL 3.0 sees it (libkmod-signature.c, <c>fill_pkcs7</c>): the blob must parse as a whole under
/// OpenSSL's PKCS7 templates, or kmod reports no signature; then the first SignerInfo gives the fields.
/// Content types, optional fields and nesting follow OpenSSL's templates (pk7_asn1.c); the only simplification
/// is that embedded certificates and CRLs are checked as SEQUENCEs, not decoded.
/// </summary>
internal static partial class Pkcs7Decoder
{
    /// <summary>OpenSSL's limit on nested items while decoding (ASN1_MAX_CONSTRUCTED_NEST).</summary>
    private const int MaxItemDepth = 30;

    private enum ContentType
    {
        Other,
        Data,
        Signed,
        Enveloped,
        SignedAndEnveloped,
        Digested,
        Encrypted,
    }

    /// <summary>The parts of the first SignerInfo that kmod reports.</summary>
    private sealed class FirstSigner
    {
        public byte[] Signer = [];
        public byte[] SerialNumber = [];
        public byte[] DigestAlgorithm = [];
        public byte[] EncryptedDigest = [];
    }

    /// <summary>
    /// Decodes one ContentInfo at the start of <paramref name="der"/> (bytes after it are ignored, as
    /// <c>d2i_PKCS7_bio</c> reads a single object) and returns kmod's fields, or <see langword="null"/> when kmod
    /// reports no signature: malformed data, a content type other than signedData or signedAndEnvelopedData, no
    /// content, no SignerInfo, or (<see cref="SignatureRules.Kmod30OpenSsl30"/>) a digest algorithm outside kmod 30's table.
    /// </summary>
    public static Pkcs7SignerFields? Decode(ReadOnlySpan<byte> der, SignatureRules signatureRules = SignatureRules.Kmod30OpenSsl30)
    {
        bool openSsl35 = signatureRules == SignatureRules.Kmod34OpenSsl35;
        if (!TryMeasureObject(der, openSsl35, out int length))
        {
            return null;
        }

        var reader = new BerReader(der, 0, length, openSsl35);
        FirstSigner? first = null;
        if (ReadContentInfo(ref reader, 0, wantSigner: true, ref first) != BerOutcome.Read || first is null)
        {
            return null;
        }

        string? hashAlgorithm = signatureRules == SignatureRules.Kmod34OpenSsl35
            ? HashAlgorithmNames.OpenSslName(first.DigestAlgorithm)
            : HashAlgorithmNames.FromOid(first.DigestAlgorithm);
        return hashAlgorithm is null
            ? null
            : new Pkcs7SignerFields(first.Signer, first.SerialNumber, hashAlgorithm, first.EncryptedDigest);
    }

    /// <summary>How many bytes <c>d2i_PKCS7_bio</c> reads from its memory BIO before decoding.</summary>
    private const int BioHeaderWindow = 8;

    /// <summary>
    /// The header OpenSSL 3.5's <c>d2i_PKCS7_bio</c> accepts up to: 8 length octets (a 10-byte header) pass, 9 do not
    /// (measured with Debian 13's kmod 34.2).
    /// </summary>
    private const int BioHeaderWindow35 = 10;

    /// <summary>
    /// Finds the extent of the first object the way OpenSSL's <c>asn1_d2i_read_bio</c> does before any decoding:
    /// every header it walks (the outer one, and those inside indefinite-length forms) must parse from an 8-byte
    /// read, so a long-form length with more than 5 length octets fails there even though the decoder would take
    /// it; a zero-length header with tag number 0 of any class closes an indefinite form.
    /// </summary>
    private static bool TryMeasureObject(ReadOnlySpan<byte> data, bool openSsl35, out int length)
    {
        int headerWindow = openSsl35 ? BioHeaderWindow35 : BioHeaderWindow;
        length = 0;
        int offset = 0;
        long openIndefinite = 0;
        while (true)
        {
            ReadOnlySpan<byte> window = data[..Math.Min(data.Length, offset + headerWindow)];
            if (!BerReader.TryParseHeader(window, offset, out int tag, out _, out _, out bool indefinite, out int contentStart, out long contentLength, openSsl35))
            {
                return false;
            }

            offset = contentStart;
            if (indefinite)
            {
                openIndefinite++;
                continue;
            }

            if (openIndefinite > 0 && contentLength == 0 && tag == 0)
            {
                if (--openIndefinite <= 0)
                {
                    break;
                }

                continue;
            }

            if (contentLength > data.Length - offset)
            {
                return false;
            }

            offset += (int)contentLength;
            if (openIndefinite <= 0)
            {
                break;
            }
        }

        length = offset;
        return true;
    }

    /// <summary>ContentInfo ::= SEQUENCE { contentType OBJECT IDENTIFIER, content [0] EXPLICIT ANY DEFINED BY contentType OPTIONAL }.</summary>
    private static BerOutcome ReadContentInfo(ref BerReader reader, int depth, bool wantSigner, ref FirstSigner? first)
    {
        if (++depth > MaxItemDepth || !TryOpenSequence(ref reader, out BerConstructed fields)
            || !fields.HasField() || ReadObjectIdentifier(ref fields.Body, depth, out Value oidValue) != BerOutcome.Read)
        {
            return BerOutcome.Failed;
        }

        ContentType type = Classify(oidValue.In(reader.Buffer));
        if (fields.HasField())
        {
            // The content is the last field, so OpenSSL decodes it as mandatory: any other tag is an error.
            if (!TryOpenExplicit(ref fields.Body, 0, out BerReader inner, out BerHeader header))
            {
                return BerOutcome.Failed;
            }

            FirstSigner? innerFirst = null;
            BerOutcome outcome = type switch
            {
                ContentType.Data => ReadOctetString(ref inner, depth, -1, out _),
                ContentType.Signed => ReadSignedData(ref inner, depth, ref innerFirst),
                ContentType.Enveloped => ReadEnvelopedData(ref inner, depth),
                ContentType.SignedAndEnveloped => ReadSignedAndEnvelopedData(ref inner, depth, ref innerFirst),
                ContentType.Digested => ReadDigestedData(ref inner, depth),
                ContentType.Encrypted => ReadEncryptedData(ref inner, depth),
                _ => ReadAny(ref inner, depth),
            };
            if (outcome != BerOutcome.Read || !TryCloseExplicit(ref fields.Body.Position, inner, header))
            {
                return BerOutcome.Failed;
            }

            if (wantSigner)
            {
                first = innerFirst;
            }
        }

        return fields.TryFinish(ref reader.Position) ? BerOutcome.Read : BerOutcome.Failed;
    }

    private static ContentType Classify(ReadOnlySpan<byte> oid)
    {
        // 1.2.840.113549.1.7.n
        ReadOnlySpan<byte> pkcs7 = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07];
        if (oid.Length != pkcs7.Length + 1 || !oid.StartsWith(pkcs7))
        {
            return ContentType.Other;
        }

        return oid[^1] switch
        {
            1 => ContentType.Data,
            2 => ContentType.Signed,
            3 => ContentType.Enveloped,
            4 => ContentType.SignedAndEnveloped,
            5 => ContentType.Digested,
            6 => ContentType.Encrypted,
            _ => ContentType.Other,
        };
    }

    /// <summary>
    /// SignedData ::= SEQUENCE { version INTEGER, digestAlgorithms SET OF AlgorithmIdentifier, contentInfo ContentInfo,
    /// certificates [0] IMPLICIT SEQUENCE OF Certificate OPTIONAL, crls [1] IMPLICIT SET OF CRL OPTIONAL,
    /// signerInfos SET OF SignerInfo }.
    /// </summary>
    private static BerOutcome ReadSignedData(ref BerReader reader, int depth, ref FirstSigner? first)
    {
        if (++depth > MaxItemDepth || !TryOpenSequence(ref reader, out BerConstructed fields)
            || !fields.HasField() || ReadInteger(ref fields.Body, depth, out _) != BerOutcome.Read
            || !fields.HasField() || ReadSetOf(ref fields.Body, depth, Element.AlgorithmIdentifier, TagSet, BerReader.Universal, false, ref first) != BerOutcome.Read
            || !fields.HasField() || ReadContentInfo(ref fields.Body, depth, wantSigner: false, ref first) != BerOutcome.Read
            || !ReadCertificatesAndCrls(ref fields, depth, ref first)
            || !fields.HasField() || ReadSetOf(ref fields.Body, depth, Element.SignerInfo, TagSet, BerReader.Universal, false, ref first) != BerOutcome.Read)
        {
            return BerOutcome.Failed;
        }

        return fields.TryFinish(ref reader.Position) ? BerOutcome.Read : BerOutcome.Failed;
    }

    /// <summary>SignedAndEnvelopedData: like SignedData with recipientInfos and encryptedContentInfo; OpenSSL returns its signers too.</summary>
    private static BerOutcome ReadSignedAndEnvelopedData(ref BerReader reader, int depth, ref FirstSigner? first)
    {
        if (++depth > MaxItemDepth || !TryOpenSequence(ref reader, out BerConstructed fields)
            || !fields.HasField() || ReadInteger(ref fields.Body, depth, out _) != BerOutcome.Read
            || !fields.HasField() || ReadSetOf(ref fields.Body, depth, Element.RecipientInfo, TagSet, BerReader.Universal, false, ref first) != BerOutcome.Read
            || !fields.HasField() || ReadSetOf(ref fields.Body, depth, Element.AlgorithmIdentifier, TagSet, BerReader.Universal, false, ref first) != BerOutcome.Read
            || !fields.HasField() || ReadEncryptedContentInfo(ref fields.Body, depth) != BerOutcome.Read
            || !ReadCertificatesAndCrls(ref fields, depth, ref first)
            || !fields.HasField() || ReadSetOf(ref fields.Body, depth, Element.SignerInfo, TagSet, BerReader.Universal, false, ref first) != BerOutcome.Read)
        {
            return BerOutcome.Failed;
        }

        return fields.TryFinish(ref reader.Position) ? BerOutcome.Read : BerOutcome.Failed;
    }

    /// <summary>The two OPTIONAL middle fields: [0] IMPLICIT certificates, [1] IMPLICIT CRLs.</summary>
    private static bool ReadCertificatesAndCrls(ref BerConstructed fields, int depth, ref FirstSigner? first)
    {
        if (fields.HasField() && ReadSetOf(ref fields.Body, depth, Element.Certificate, 0, BerReader.ContextSpecific, true, ref first) == BerOutcome.Failed)
        {
            return false;
        }

        return !fields.HasField() || ReadSetOf(ref fields.Body, depth, Element.Crl, 1, BerReader.ContextSpecific, true, ref first) != BerOutcome.Failed;
    }

    /// <summary>EnvelopedData ::= SEQUENCE { version, recipientInfos SET OF RecipientInfo, encryptedContentInfo }.</summary>
    private static BerOutcome ReadEnvelopedData(ref BerReader reader, int depth)
    {
        FirstSigner? none = null;
        if (++depth > MaxItemDepth || !TryOpenSequence(ref reader, out BerConstructed fields)
            || !fields.HasField() || ReadInteger(ref fields.Body, depth, out _) != BerOutcome.Read
            || !fields.HasField() || ReadSetOf(ref fields.Body, depth, Element.RecipientInfo, TagSet, BerReader.Universal, false, ref none) != BerOutcome.Read
            || !fields.HasField() || ReadEncryptedContentInfo(ref fields.Body, depth) != BerOutcome.Read)
        {
            return BerOutcome.Failed;
        }

        return fields.TryFinish(ref reader.Position) ? BerOutcome.Read : BerOutcome.Failed;
    }

    /// <summary>DigestedData ::= SEQUENCE { version, digestAlgorithm, contentInfo ContentInfo, digest OCTET STRING }.</summary>
    private static BerOutcome ReadDigestedData(ref BerReader reader, int depth)
    {
        FirstSigner? none = null;
        if (++depth > MaxItemDepth || !TryOpenSequence(ref reader, out BerConstructed fields)
            || !fields.HasField() || ReadInteger(ref fields.Body, depth, out _) != BerOutcome.Read
            || !fields.HasField() || ReadAlgorithmIdentifier(ref fields.Body, depth, out _) != BerOutcome.Read
            || !fields.HasField() || ReadContentInfo(ref fields.Body, depth, wantSigner: false, ref none) != BerOutcome.Read
            || !fields.HasField() || ReadOctetString(ref fields.Body, depth, -1, out _) != BerOutcome.Read)
        {
            return BerOutcome.Failed;
        }

        return fields.TryFinish(ref reader.Position) ? BerOutcome.Read : BerOutcome.Failed;
    }

    /// <summary>EncryptedData ::= SEQUENCE { version, encryptedContentInfo }.</summary>
    private static BerOutcome ReadEncryptedData(ref BerReader reader, int depth)
    {
        if (++depth > MaxItemDepth || !TryOpenSequence(ref reader, out BerConstructed fields)
            || !fields.HasField() || ReadInteger(ref fields.Body, depth, out _) != BerOutcome.Read
            || !fields.HasField() || ReadEncryptedContentInfo(ref fields.Body, depth) != BerOutcome.Read)
        {
            return BerOutcome.Failed;
        }

        return fields.TryFinish(ref reader.Position) ? BerOutcome.Read : BerOutcome.Failed;
    }

    /// <summary>EncryptedContentInfo ::= SEQUENCE { contentType, contentEncryptionAlgorithm, encryptedContent [0] IMPLICIT OCTET STRING OPTIONAL }.</summary>
    private static BerOutcome ReadEncryptedContentInfo(ref BerReader reader, int depth)
    {
        if (++depth > MaxItemDepth || !TryOpenSequence(ref reader, out BerConstructed fields)
            || !fields.HasField() || ReadObjectIdentifier(ref fields.Body, depth, out _) != BerOutcome.Read
            || !fields.HasField() || ReadAlgorithmIdentifier(ref fields.Body, depth, out _) != BerOutcome.Read
            || (fields.HasField() && ReadOctetString(ref fields.Body, depth, 0, out _) != BerOutcome.Read))
        {
            return BerOutcome.Failed;
        }

        return fields.TryFinish(ref reader.Position) ? BerOutcome.Read : BerOutcome.Failed;
    }

    /// <summary>RecipientInfo ::= SEQUENCE { version, issuerAndSerialNumber, keyEncryptionAlgorithm, encryptedKey OCTET STRING }.</summary>
    private static BerOutcome ReadRecipientInfo(ref BerReader reader, int depth)
    {
        if (++depth > MaxItemDepth || !TryOpenSequence(ref reader, out BerConstructed fields)
            || !fields.HasField() || ReadInteger(ref fields.Body, depth, out _) != BerOutcome.Read
            || !fields.HasField() || ReadIssuerAndSerialNumber(ref fields.Body, depth, out _, out _) != BerOutcome.Read
            || !fields.HasField() || ReadAlgorithmIdentifier(ref fields.Body, depth, out _) != BerOutcome.Read
            || !fields.HasField() || ReadOctetString(ref fields.Body, depth, -1, out _) != BerOutcome.Read)
        {
            return BerOutcome.Failed;
        }

        return fields.TryFinish(ref reader.Position) ? BerOutcome.Read : BerOutcome.Failed;
    }

    /// <summary>
    /// SignerInfo ::= SEQUENCE { version, issuerAndSerialNumber, digestAlgorithm, authenticatedAttributes [0] IMPLICIT
    /// SEQUENCE OF Attribute OPTIONAL, digestEncryptionAlgorithm, encryptedDigest OCTET STRING,
    /// unauthenticatedAttributes [1] IMPLICIT SET OF Attribute OPTIONAL }.
    /// </summary>
    private static BerOutcome ReadSignerInfo(ref BerReader reader, int depth, FirstSigner? into)
    {
        FirstSigner? none = null;
        if (++depth > MaxItemDepth || !TryOpenSequence(ref reader, out BerConstructed fields)
            || !fields.HasField() || ReadInteger(ref fields.Body, depth, out _) != BerOutcome.Read
            || !fields.HasField() || ReadIssuerAndSerialNumber(ref fields.Body, depth, out byte[] signer, out byte[] serial) != BerOutcome.Read
            || !fields.HasField() || ReadAlgorithmIdentifier(ref fields.Body, depth, out Value digestOid) != BerOutcome.Read)
        {
            return BerOutcome.Failed;
        }

        if (fields.HasField() && ReadSetOf(ref fields.Body, depth, Element.Attribute, 0, BerReader.ContextSpecific, true, ref none) == BerOutcome.Failed)
        {
            return BerOutcome.Failed;
        }

        if (!fields.HasField() || ReadAlgorithmIdentifier(ref fields.Body, depth, out _) != BerOutcome.Read
            || !fields.HasField() || ReadOctetString(ref fields.Body, depth, -1, out Value encryptedDigest) != BerOutcome.Read
            || (fields.HasField() && ReadSetOf(ref fields.Body, depth, Element.Attribute, 1, BerReader.ContextSpecific, false, ref none) != BerOutcome.Read)
            || !fields.TryFinish(ref reader.Position))
        {
            return BerOutcome.Failed;
        }

        if (into is not null)
        {
            into.Signer = signer;
            into.SerialNumber = serial;
            into.DigestAlgorithm = digestOid.In(reader.Buffer).ToArray();
            into.EncryptedDigest = encryptedDigest.In(reader.Buffer).ToArray();
        }

        return BerOutcome.Read;
    }

    /// <summary>IssuerAndSerialNumber ::= SEQUENCE { issuer Name, serialNumber INTEGER }.</summary>
    private static BerOutcome ReadIssuerAndSerialNumber(ref BerReader reader, int depth, out byte[] signer, out byte[] serial)
    {
        signer = [];
        serial = [];
        if (++depth > MaxItemDepth || !TryOpenSequence(ref reader, out BerConstructed fields)
            || !fields.HasField() || ReadName(ref fields.Body, depth, out signer) != BerOutcome.Read
            || !fields.HasField() || ReadInteger(ref fields.Body, depth, out Value serialContents) != BerOutcome.Read
            || !fields.TryFinish(ref reader.Position))
        {
            return BerOutcome.Failed;
        }

        serial = IntegerMagnitude(serialContents.In(reader.Buffer));
        return BerOutcome.Read;
    }

    /// <summary>AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }.</summary>
    private static BerOutcome ReadAlgorithmIdentifier(ref BerReader reader, int depth, out Value oid)
    {
        oid = default;
        if (++depth > MaxItemDepth || !TryOpenSequence(ref reader, out BerConstructed fields)
            || !fields.HasField() || ReadObjectIdentifier(ref fields.Body, depth, out oid) != BerOutcome.Read
            || (fields.HasField() && ReadAny(ref fields.Body, depth) != BerOutcome.Read))
        {
            return BerOutcome.Failed;
        }

        return fields.TryFinish(ref reader.Position) ? BerOutcome.Read : BerOutcome.Failed;
    }

    /// <summary>Attribute ::= SEQUENCE { type OBJECT IDENTIFIER, values SET OF ANY }.</summary>
    private static BerOutcome ReadAttribute(ref BerReader reader, int depth)
    {
        FirstSigner? none = null;
        if (++depth > MaxItemDepth || !TryOpenSequence(ref reader, out BerConstructed fields)
            || !fields.HasField() || ReadObjectIdentifier(ref fields.Body, depth, out _) != BerOutcome.Read
            || !fields.HasField() || ReadSetOf(ref fields.Body, depth, Element.Any, TagSet, BerReader.Universal, false, ref none) != BerOutcome.Read)
        {
            return BerOutcome.Failed;
        }

        return fields.TryFinish(ref reader.Position) ? BerOutcome.Read : BerOutcome.Failed;
    }

    /// <summary>
    /// A certificate or CRL. OpenSSL decodes them completely; ModKit only requires a constructed SEQUENCE
    /// (kernel signatures carry neither: sign-file uses CMS_NOCERTS).
    /// </summary>
    private static BerOutcome ReadOpaqueSequence(ref BerReader reader, int depth)
    {
        int type = TagSequence;
        return ReadValue(ref reader, depth, ref type, -1, optional: false, out _);
    }

    private enum Element
    {
        Any,
        AlgorithmIdentifier,
        Attribute,
        Certificate,
        Crl,
        RecipientInfo,
        SignerInfo,
    }

    /// <summary>
    /// A SET OF or SEQUENCE OF <paramref name="element"/> under the given tag; <see cref="BerOutcome.Absent"/> when
    /// <paramref name="optional"/> and another tag is found. Only the first SignerInfo is kept.
    /// </summary>
    private static BerOutcome ReadSetOf(ref BerReader reader, int depth, Element element, int tag, int tagClass, bool optional, ref FirstSigner? first)
    {
        if (!reader.TryPeekHeader(out BerHeader header))
        {
            return BerOutcome.Failed;
        }

        if (!header.Is(tag, tagClass))
        {
            return optional ? BerOutcome.Absent : BerOutcome.Failed;
        }

        // Unlike a SEQUENCE, OpenSSL does not require the constructed bit on a SET OF / SEQUENCE OF.
        var items = new BerConstructed(reader, header);
        bool isFirst = true;
        while (items.HasField())
        {
            BerOutcome outcome = element switch
            {
                Element.AlgorithmIdentifier => ReadAlgorithmIdentifier(ref items.Body, depth, out _),
                Element.Attribute => ReadAttribute(ref items.Body, depth),
                Element.Certificate or Element.Crl => ReadOpaqueSequence(ref items.Body, depth),
                Element.RecipientInfo => ReadRecipientInfo(ref items.Body, depth),
                Element.SignerInfo => ReadSignerInfo(ref items.Body, depth, isFirst ? (first = new FirstSigner()) : null),
                _ => ReadAny(ref items.Body, depth),
            };
            if (outcome != BerOutcome.Read)
            {
                return BerOutcome.Failed;
            }

            isFirst = false;
        }

        return items.TryFinish(ref reader.Position) ? BerOutcome.Read : BerOutcome.Failed;
    }

    /// <summary>Opens a mandatory, constructed universal SEQUENCE.</summary>
    private static bool TryOpenSequence(ref BerReader reader, out BerConstructed fields)
    {
        fields = default;
        if (!reader.TryPeekHeader(out BerHeader header) || !header.Is(TagSequence, BerReader.Universal) || !header.IsConstructed)
        {
            return false;
        }

        fields = new BerConstructed(reader, header);
        return true;
    }

    /// <summary>Opens a mandatory [n] EXPLICIT wrapper, which must be constructed.</summary>
    private static bool TryOpenExplicit(ref BerReader reader, int tag, out BerReader inner, out BerHeader header)
    {
        inner = default;
        if (!reader.TryPeekHeader(out header) || !header.Is(tag, BerReader.ContextSpecific) || !header.IsConstructed)
        {
            return false;
        }

        inner = reader.OpenContents(header);
        return true;
    }

    /// <summary>The wrapped value must fill the wrapper exactly, or be followed by end-of-contents in the indefinite form.</summary>
    private static bool TryCloseExplicit(ref int position, BerReader inner, BerHeader header)
    {
        if (header.IsIndefinite ? !inner.TrySkipEndOfContents() : inner.Remaining != 0)
        {
            return false;
        }

        position = inner.Position;
        return true;
    }
}
