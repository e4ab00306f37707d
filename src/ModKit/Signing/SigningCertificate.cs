using System.Collections.Concurrent;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;

namespace ModKit.Signing;

/// <summary>
/// An X.509 certificate as the kernel's module-signing keyring sees it: a public key (RSA or EC) found by the
/// issuer and serial number or by the subject key identifier. Validity dates and the chain are not checked,
/// as the kernel does not check them for module signatures.
/// </summary>
public sealed class SigningCertificate
{
    private const string RsaKeyOid = "1.2.840.113549.1.1.1";
    private const string EcKeyOid = "1.2.840.10045.2.1";

    // x509_cert_parser.c's named curves: P-192, P-256, P-384 and (Linux 6.10 and later) P-521.
    private static readonly HashSet<string> KernelCurves = new(StringComparer.Ordinal)
    {
        "1.2.840.10045.3.1.1", "1.2.840.10045.3.1.7", "1.3.132.0.34", "1.3.132.0.35",
    };

    private readonly byte[] _issuer;
    private readonly byte[] _serial;
    private readonly byte[]? _subjectKeyId;
    private readonly byte[] _publicKeyInfo;
    // The imported key, one per thread using it at the same time (.NET's key objects are not thread-safe).
    private readonly ConcurrentBag<AsymmetricAlgorithm> _keys = [];

    private SigningCertificate(byte[] issuer, byte[] serial, byte[]? subjectKeyId, byte[] publicKeyInfo, string keyAlgorithm, string subject)
    {
        _issuer = issuer;
        _serial = serial;
        _subjectKeyId = subjectKeyId;
        _publicKeyInfo = publicKeyInfo;
        KeyAlgorithm = keyAlgorithm;
        Subject = subject;
    }

    /// <summary>The subject's commonName (else its organizationName, else empty), as the kernel names the key.</summary>
    public string Subject { get; }

    /// <summary><c>rsa</c> or <c>ecdsa</c>.</summary>
    public string KeyAlgorithm { get; }

    /// <summary>The serial number's content bytes as encoded (big-endian, two's complement).</summary>
    public ReadOnlyMemory<byte> SerialNumber => _serial;

    /// <summary>The subjectKeyIdentifier extension's key id, or empty when the certificate has none.</summary>
    public ReadOnlyMemory<byte> SubjectKeyId => _subjectKeyId ?? [];

    /// <summary>The DER SubjectPublicKeyInfo.</summary>
    public ReadOnlyMemory<byte> PublicKeyInfo => _publicKeyInfo;

    /// <summary>The key id the kernel shows for the key in <c>/proc/keys</c>: the subject key identifier, else the serial number.</summary>
    public ReadOnlyMemory<byte> KeyId => _subjectKeyId ?? _serial;

    /// <summary>
    /// Reads the certificates of a file: PEM (every <c>CERTIFICATE</c> block) or DER (one certificate, or several
    /// one after the other, as in the kernel's <c>system_certificate_list</c>).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The certificates in file order.</returns>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="FormatException">The file holds no certificate or a malformed one.</exception>
    public static IReadOnlyList<SigningCertificate> Load(string path) => Parse(File.ReadAllBytes(path));

    /// <summary>Reads certificates from PEM or concatenated DER bytes (see <see cref="Load"/>).</summary>
    /// <param name="data">The PEM text or DER bytes.</param>
    /// <returns>The certificates in order.</returns>
    /// <exception cref="FormatException">No certificate, or a malformed one.</exception>
    public static IReadOnlyList<SigningCertificate> Parse(ReadOnlySpan<byte> data)
    {
        var certificates = new List<SigningCertificate>();
        if (data.IndexOf("-----BEGIN "u8) >= 0)
        {
            ReadOnlySpan<char> text = Encoding.ASCII.GetString(data);
            while (PemEncoding.TryFind(text, out PemFields fields))
            {
                if (text[fields.Label].SequenceEqual("CERTIFICATE"))
                {
                    certificates.Add(FromDer(Convert.FromBase64String(text[fields.Base64Data].ToString())));
                }

                text = text[fields.Location.End..];
            }
        }
        else
        {
            while (!data.IsEmpty)
            {
                int length = DerLength(data);
                certificates.Add(FromDer(data[..length]));
                data = data[length..];
            }
        }

        return certificates.Count > 0 ? certificates : throw new FormatException("no certificate found");
    }

    /// <summary>Reads one DER certificate.</summary>
    /// <param name="der">Exactly the certificate's bytes.</param>
    /// <returns>The certificate.</returns>
    /// <exception cref="FormatException">The bytes are not an X.509 certificate with an RSA or EC key.</exception>
    public static SigningCertificate FromDer(ReadOnlySpan<byte> der)
    {
        try
        {
            return Decode(der.ToArray());
        }
        catch (AsnContentException e)
        {
            throw new FormatException("malformed certificate: " + e.Message, e);
        }
    }

    /// <summary>Whether this certificate is the one an IssuerAndSerialNumber names (bytes compared as the kernel does).</summary>
    internal bool Matches(ReadOnlySpan<byte> issuer, ReadOnlySpan<byte> serial) =>
        issuer.SequenceEqual(_issuer) && serial.SequenceEqual(_serial);

    /// <summary>Whether this certificate's subject key identifier is <paramref name="keyId"/>.</summary>
    internal bool Matches(ReadOnlySpan<byte> keyId) => _subjectKeyId is not null && keyId.SequenceEqual(_subjectKeyId);

    /// <summary>Length of the DER element at the start of <paramref name="data"/>.</summary>
    private static int DerLength(ReadOnlySpan<byte> data)
    {
        try
        {
            AsnDecoder.ReadEncodedValue(data, AsnEncodingRules.DER, out _, out _, out int consumed);
            return consumed;
        }
        catch (AsnContentException e)
        {
            throw new FormatException("not a PEM or DER certificate: " + e.Message, e);
        }
    }

    // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
    // TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer, validity, subject,
    //   subjectPublicKeyInfo, [1] issuerUniqueID OPTIONAL, [2] subjectUniqueID OPTIONAL, [3] extensions OPTIONAL }
    private static SigningCertificate Decode(byte[] der)
    {
        var certificate = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var tbs = certificate.ReadSequence();
        var version = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        if (tbs.PeekTag().HasSameClassAndValue(version))
        {
            tbs.ReadEncodedValue();
        }

        byte[] serial = tbs.ReadIntegerBytes().ToArray();
        tbs.ReadSequence();
        byte[] issuer = tbs.ReadEncodedValue().ToArray();
        tbs.ReadSequence();
        string subject = ReadSubjectName(tbs.ReadSequence());
        byte[] publicKeyInfo = tbs.ReadEncodedValue().ToArray();
        var algorithm = new AsnReader(publicKeyInfo, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        string keyOid = algorithm.ReadObjectIdentifier();
        string keyAlgorithm = keyOid switch
        {
            RsaKeyOid => "rsa",
            EcKeyOid => "ecdsa",
            _ => throw new FormatException($"unsupported public key algorithm {keyOid}"),
        };

        // The kernel's x509 parser takes an EC key only on a named NIST curve (ENOPKG otherwise): any other curve, or
        // explicit parameters, would fail only when the key is imported to verify.
        if (keyAlgorithm == "ecdsa")
        {
            string curve = algorithm.ReadObjectIdentifier();
            if (!KernelCurves.Contains(curve))
            {
                throw new FormatException($"unsupported elliptic curve {curve}");
            }
        }

        byte[]? subjectKeyId = null;
        var extensionsTag = new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true);
        while (tbs.HasData)
        {
            if (!tbs.PeekTag().HasSameClassAndValue(extensionsTag))
            {
                tbs.ReadEncodedValue();
                continue;
            }

            var extensions = tbs.ReadSequence(extensionsTag).ReadSequence();
            while (extensions.HasData)
            {
                var extension = extensions.ReadSequence();
                string oid = extension.ReadObjectIdentifier();
                if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean))
                {
                    extension.ReadBoolean();
                }

                byte[] value = extension.ReadOctetString();
                if (oid == "2.5.29.14")
                {
                    subjectKeyId = new AsnReader(value, AsnEncodingRules.DER).ReadOctetString();
                }
            }
        }

        return new SigningCertificate(issuer, serial, subjectKeyId, publicKeyInfo, keyAlgorithm, subject);
    }

    // Name ::= SEQUENCE OF SET OF { type OID, value ANY }: the commonName, else the organizationName.
    private static string ReadSubjectName(AsnReader name)
    {
        string? common = null, organization = null;
        while (name.HasData)
        {
            var set = name.ReadSetOf(skipSortOrderValidation: true);
            while (set.HasData)
            {
                var attribute = set.ReadSequence();
                string oid = attribute.ReadObjectIdentifier();
                string? value = TryReadString(attribute);
                if (oid == "2.5.4.3")
                {
                    common ??= value;
                }
                else if (oid == "2.5.4.10")
                {
                    organization ??= value;
                }
            }
        }

        return common ?? organization ?? string.Empty;
    }

    private static string? TryReadString(AsnReader attribute)
    {
        var tag = attribute.PeekTag();
        byte[] contents = attribute.ReadEncodedValue().ToArray();
        if (tag.TagClass != TagClass.Universal)
        {
            return null;
        }

        AsnDecoder.ReadEncodedValue(contents, AsnEncodingRules.BER, out int offset, out int length, out _);
        var bytes = contents.AsSpan(offset, length);
        return (UniversalTagNumber)tag.TagValue switch
        {
            UniversalTagNumber.BMPString => Encoding.BigEndianUnicode.GetString(bytes),
            _ => Encoding.UTF8.GetString(bytes),
        };
    }

    /// <summary>Verifies a signature over <paramref name="digest"/> with this certificate's key.</summary>
    /// <remarks>
    /// The key is imported on first use and kept; threads verifying at the same time each get their own copy, so a
    /// certificate may be shared by threads without them waiting for one another (ECDSA P-384 takes about a millisecond).
    /// </remarks>
    internal bool VerifyHash(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature, HashAlgorithmName hash)
    {
        if (!_keys.TryTake(out var key))
        {
            key = KeyAlgorithm == "rsa" ? ImportKey(RSA.Create()) : ImportKey(ECDsa.Create());
        }

        try
        {
            return key is RSA rsa
                ? rsa.VerifyHash(digest, signature, hash, RSASignaturePadding.Pkcs1)
                : ((ECDsa)key).VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
        }
        finally
        {
            _keys.Add(key);
        }
    }

    private T ImportKey<T>(T key)
        where T : AsymmetricAlgorithm
    {
        key.ImportSubjectPublicKeyInfo(_publicKeyInfo, out _);
        return key;
    }
}
