using System.Formats.Asn1;
using System.Text;

namespace ModKit.Tests.Signing;

/// <summary>
/// Builds the PKCS#7 SignedData a kernel's sign-file produces (detached, no certificates, no attributes) with
/// <see cref="AsnWriter"/>, with every part replaceable by raw bytes for hostile variants.
/// </summary>
internal sealed class Pkcs7Builder
{
    public const string Sha256 = "2.16.840.1.101.3.4.2.1";
    public const string CommonName = "2.5.4.3";
    public const string Organization = "2.5.4.10";
    public const string Country = "2.5.4.6";
    public const string SignedData = "1.2.840.113549.1.7.2";
    public const string Data = "1.2.840.113549.1.7.1";

    public byte[] Issuer { get; set; } = Der.Name([(CommonName, 0x0C, Encoding.UTF8.GetBytes("Test signing key"))]);

    /// <summary>Contents of the serial number INTEGER, as encoded (may be malformed).</summary>
    public byte[] Serial { get; set; } = [0x01];

    public string DigestOid { get; set; } = Sha256;

    /// <summary>A complete AlgorithmIdentifier replacing the one built from <see cref="DigestOid"/>.</summary>
    public byte[]? DigestAlgorithm { get; set; }

    public byte[] EncryptedDigest { get; set; } = [.. Enumerable.Range(0, 256).Select(i => (byte)(i * 7))];

    public string ContentType { get; set; } = SignedData;

    public int SignerCount { get; set; } = 1;

    /// <summary>Raw fields appended to the SignerInfo after encryptedDigest.</summary>
    public byte[] SignerInfoTail { get; set; } = [];

    /// <summary>Raw bytes between contentInfo and signerInfos (certificates, CRLs).</summary>
    public byte[] CertificatesAndCrls { get; set; } = [];

    public byte[] Build()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(ContentType);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            using (writer.PushSequence())
            {
                writer.WriteInteger(1);
                using (writer.PushSetOf())
                {
                    WriteDigestAlgorithm(writer);
                }

                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(Data);
                }

                if (CertificatesAndCrls.Length > 0)
                {
                    writer.WriteEncodedValue(CertificatesAndCrls);
                }

                using (writer.PushSetOf())
                {
                    for (int i = 0; i < SignerCount; i++)
                    {
                        WriteSignerInfo(writer);
                    }
                }
            }
        }

        return writer.Encode();
    }

    private void WriteSignerInfo(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteInteger(1);
            using (writer.PushSequence())
            {
                writer.WriteEncodedValue(Issuer);
                writer.WriteEncodedValue(Der.Int(Serial));
            }

            WriteDigestAlgorithm(writer);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.2.840.113549.1.1.1");
                writer.WriteNull();
            }

            writer.WriteOctetString(EncryptedDigest);
            foreach (byte[] field in SplitTlvs(SignerInfoTail))
            {
                writer.WriteEncodedValue(field);
            }
        }
    }

    private void WriteDigestAlgorithm(AsnWriter writer)
    {
        if (DigestAlgorithm is not null)
        {
            writer.WriteEncodedValue(DigestAlgorithm);
            return;
        }

        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(DigestOid);
        }
    }

    private static IEnumerable<byte[]> SplitTlvs(byte[] data)
    {
        for (int offset = 0; offset < data.Length;)
        {
            AsnDecoder.ReadEncodedValue(data.AsSpan(offset), AsnEncodingRules.BER, out _, out _, out int consumed);
            yield return data[offset..(offset + consumed)];
            offset += consumed;
        }
    }
}
