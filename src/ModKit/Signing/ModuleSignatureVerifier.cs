using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Security.Cryptography;

namespace ModKit.Signing;

/// <summary>
/// Checks a module's appended signature the way the kernel does when it loads the module (module signing,
/// <c>mod_verify_sig</c> and the PKCS#7 verifier): the trailer <c>[content][PKCS#7][struct module_signature]
/// ["~Module signature appended~\n"]</c>, a detached CMS SignedData over the content, each signer found among the
/// given certificates by issuer and serial number or by subject key identifier, RSA PKCS#1 v1.5 or ECDSA over
/// one of the kernel's digests. The primitives are .NET's (System.Security.Cryptography, OpenSSL on Linux).
/// </summary>
/// <remarks>
/// As the kernel: certificates embedded in the message are not used (sign-file embeds none), validity dates are
/// not checked, and signed attributes make a module signature unacceptable (kernels up to at least 6.12 refuse them;
/// the signature over the attributes is still checked and the result says whether it holds).
/// Thread-safe. A statically linked executable must link OpenSSL in (ModKit's NativeAOT binary does): left to load
/// it at run time, .NET reaches it through glibc's static <c>dlopen</c>, which maps a second libc, and the process
/// then crashed now and then inside the garbage collector.
/// </remarks>
public static class ModuleSignatureVerifier
{
    private const string DataOid = "1.2.840.113549.1.7.1";
    private const string SignedDataOid = "1.2.840.113549.1.7.2";
    private const string ContentTypeAttributeOid = "1.2.840.113549.1.9.3";
    private const string MessageDigestAttributeOid = "1.2.840.113549.1.9.4";

    private static readonly Asn1Tag Context0 = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag Context1 = new(TagClass.ContextSpecific, 1, isConstructed: true);
    private static readonly Asn1Tag Context0Primitive = new(TagClass.ContextSpecific, 0);

    /// <summary>Checks the signature of a whole decompressed module image against <paramref name="certificates"/>.</summary>
    /// <param name="image">The decompressed module, signature included.</param>
    /// <param name="certificates">The trusted certificates (the kernel's keyring).</param>
    /// <returns>The outcome; never throws for malformed module data.</returns>
    /// <exception cref="CryptographicException">The platform's cryptography is not available.</exception>
    public static SignatureVerification Verify(ReadOnlySpan<byte> image, IReadOnlyList<SigningCertificate> certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        ReadOnlySpan<byte> magic = SignatureTrailerLayout.Magic;
        if (image.Length <= magic.Length || !image.EndsWith(magic))
        {
            return new(SignatureStatus.Unsigned, "no signature appended");
        }

        // mod_verify_sig / mod_check_sig, on the module without the magic.
        var module = image[..^magic.Length];
        if (module.Length <= SignatureTrailerLayout.DescriptorLength)
        {
            return new(SignatureStatus.Malformed, "module too short for its signature descriptor");
        }

        var descriptor = module[^SignatureTrailerLayout.DescriptorLength..];
        uint signatureLength = BinaryPrimitives.ReadUInt32BigEndian(descriptor[SignatureTrailerLayout.SignatureLengthOffset..]);
        if (signatureLength >= (uint)(module.Length - SignatureTrailerLayout.DescriptorLength))
        {
            return new(SignatureStatus.Malformed, "signature length exceeds the module");
        }

        if (descriptor[SignatureTrailerLayout.IdTypeOffset] != SignatureTrailerLayout.IdTypePkcs7)
        {
            return new(SignatureStatus.Malformed, "not signed with a PKCS#7 message");
        }

        if (!OnlyIdTypeSet(descriptor))
        {
            return new(SignatureStatus.Malformed, "signature descriptor has non-zero algorithm, hash, length or padding bytes");
        }

        int contentLength = module.Length - SignatureTrailerLayout.DescriptorLength - (int)signatureLength;
        var content = module[..contentLength];
        var message = module.Slice(contentLength, (int)signatureLength);
        try
        {
            return VerifyMessage(content, message.ToArray(), certificates);
        }
        catch (AsnContentException e)
        {
            return new(SignatureStatus.Malformed, "PKCS#7 message does not decode: " + e.Message);
        }
    }

    /// <summary>Reads a module file (decompressing it if needed) and checks its signature.</summary>
    /// <param name="path">The module file.</param>
    /// <param name="certificates">The trusted certificates.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="ModuleFormatException">The file does not decompress.</exception>
    /// <exception cref="CryptographicException">The platform's cryptography is not available.</exception>
    public static SignatureVerification VerifyFile(string path, IReadOnlyList<SigningCertificate> certificates)
    {
        using var file = File.OpenHandle(path);
        var image = Files.ModuleDecompressor.DecompressPooled(file, Files.ModuleCompressionDetector.Detect(file));
        try
        {
            return Verify(image.Memory.Span, certificates);
        }
        finally
        {
            image.Release();
        }
    }

    // algo, hash, signer_len, key_id_len and the three padding bytes must all be zero; id_type is checked before.
    private static bool OnlyIdTypeSet(ReadOnlySpan<byte> descriptor)
    {
        for (int i = 0; i < SignatureTrailerLayout.SignatureLengthOffset; i++)
        {
            if (i != SignatureTrailerLayout.IdTypeOffset && descriptor[i] != 0)
            {
                return false;
            }
        }

        return true;
    }

    private sealed record Signer(
        byte[]? Issuer, byte[]? Serial, byte[]? KeyId, string Hash, HashAlgorithmName HashName, string KeyAlgorithm,
        byte[]? SignedAttributes, byte[]? MessageDigest, byte[] Signature);

    // ContentInfo { contentType signedData, [0] EXPLICIT SignedData { version, digestAlgorithms, encapContentInfo
    // { eContentType, [0] eContent OPTIONAL }, [0] certificates OPTIONAL, [1] crls OPTIONAL, signerInfos } }
    private static SignatureVerification VerifyMessage(ReadOnlySpan<byte> content, byte[] message, IReadOnlyList<SigningCertificate> certificates)
    {
        var outer = new AsnReader(message, AsnEncodingRules.BER);
        var contentInfo = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        if (contentInfo.ReadObjectIdentifier() != SignedDataOid)
        {
            return new(SignatureStatus.Malformed, "PKCS#7 content is not signedData");
        }

        var wrapper = contentInfo.ReadSequence(Context0);
        var signedData = wrapper.ReadSequence();
        wrapper.ThrowIfNotEmpty();
        contentInfo.ThrowIfNotEmpty();
        // pkcs7_note_signeddata_version: 1 (PKCS#7) or 3 (CMS), one byte.
        int version = SingleByteVersion(signedData);
        if (version is not (1 or 3))
        {
            return new(SignatureStatus.Malformed, "unsupported SignedData version");
        }

        // digestAlgorithms: a SET OF (or SEQUENCE OF) AlgorithmIdentifier, parsed but not used, as by the kernel.
        var digestAlgorithms = signedData.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence)
            ? signedData.ReadSequence()
            : signedData.ReadSetOf(skipSortOrderValidation: true);
        while (digestAlgorithms.HasData)
        {
            ReadAlgorithm(digestAlgorithms);
        }

        var encapsulated = signedData.ReadSequence();
        string contentType = encapsulated.ReadObjectIdentifier();
        if (encapsulated.HasData)
        {
            return new(SignatureStatus.Malformed, "PKCS#7 message carries its own content (a module signature is detached)");
        }

        if (contentType != DataOid)
        {
            return new(SignatureStatus.Malformed, $"PKCS#7 content type {contentType} is not data");
        }

        if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(Context0))
        {
            signedData.ReadEncodedValue();
        }

        if (signedData.HasData && signedData.PeekTag().HasSameClassAndValue(Context1))
        {
            signedData.ReadEncodedValue();
        }

        var signerInfos = signedData.ReadSetOf();
        signedData.ThrowIfNotEmpty();
        var signers = new List<Signer>();
        while (signerInfos.HasData)
        {
            var (signer, problem) = ReadSigner(signerInfos.ReadSequence(), version);
            if (signer is null)
            {
                return new(SignatureStatus.Malformed, problem!);
            }

            signers.Add(signer);
        }

        if (signers.Count == 0)
        {
            return new(SignatureStatus.Malformed, "PKCS#7 message has no signer");
        }

        // pkcs7_verify: every signer's digest, and its messageDigest attribute when it has signed attributes.
        var digests = new byte[signers.Count][];
        for (int i = 0; i < signers.Count; i++)
        {
            var signer = signers[i];
            byte[] digest = Hash(signer.Hash, content);
            if (signer.SignedAttributes is not null)
            {
                if (signer.MessageDigest is null || !signer.MessageDigest.AsSpan().SequenceEqual(digest))
                {
                    return new(SignatureStatus.BadSignature, "messageDigest attribute does not match the content",
                        HashAlgorithm: signer.Hash, KeyAlgorithm: signer.KeyAlgorithm);
                }

                digest = Hash(signer.Hash, signer.SignedAttributes);
            }

            digests[i] = digest;
        }

        // pkcs7_validate_trust: a signer whose key is unknown is skipped; the last signer with a known key decides.
        SignatureVerification result = new(SignatureStatus.UnknownKey, "no certificate matches the signer",
            HashAlgorithm: signers[0].Hash, KeyAlgorithm: signers[0].KeyAlgorithm);
        for (int i = 0; i < signers.Count; i++)
        {
            var signer = signers[i];
            var certificate = certificates.FirstOrDefault(c =>
                signer.KeyId is not null ? c.Matches(signer.KeyId) : c.Matches(signer.Issuer!, signer.Serial!));
            if (certificate is null)
            {
                continue;
            }

            if (certificate.KeyAlgorithm != signer.KeyAlgorithm)
            {
                result = new(SignatureStatus.BadSignature, $"{signer.KeyAlgorithm} signature but the certificate's key is {certificate.KeyAlgorithm}",
                    certificate, signer.Hash, signer.KeyAlgorithm);
                continue;
            }

            bool verified;
            try
            {
                verified = certificate.VerifyHash(digests[i], signer.Signature, signer.HashName);
            }
            catch (CryptographicException) when (IsPlatformCryptoAvailable())
            {
                verified = false;
            }

            result = verified
                ? new(SignatureStatus.Valid, "signature verified", certificate, signer.Hash, signer.KeyAlgorithm)
                : new(SignatureStatus.BadSignature, $"{signer.KeyAlgorithm} signature does not match", certificate, signer.Hash, signer.KeyAlgorithm);
        }

        if (signers.Any(s => s.SignedAttributes is not null))
        {
            return result with
            {
                Status = SignatureStatus.Malformed,
                Reason = $"signed attributes, which the kernel refuses in module signatures (the signature is {result.StatusName})",
            };
        }

        return result;
    }

    // SignerInfo { version, sid, digestAlgorithm, [0] IMPLICIT signedAttrs OPTIONAL, signatureAlgorithm,
    // signature OCTET STRING, [1] IMPLICIT unsignedAttrs OPTIONAL }; sid is IssuerAndSerialNumber or
    // [0] IMPLICIT SubjectKeyIdentifier.
    private static (Signer? Signer, string? Problem) ReadSigner(AsnReader info, int messageVersion)
    {
        // pkcs7_note_signerinfo_version: 1 only in a version 1 message, 3 only in a later one.
        int version = SingleByteVersion(info);
        if (version is not (1 or 3))
        {
            return (null, "unsupported SignerInfo version");
        }

        if ((version == 1) != (messageVersion == 1))
        {
            return (null, "SignedData and SignerInfo versions do not match");
        }

        byte[]? issuer = null, serial = null, keyId = null;
        if (info.PeekTag().HasSameClassAndValue(Context0Primitive))
        {
            keyId = info.ReadOctetString(Context0Primitive);
        }
        else
        {
            var sid = info.ReadSequence();
            issuer = sid.ReadEncodedValue().ToArray();
            serial = sid.ReadIntegerBytes().ToArray();
            sid.ThrowIfNotEmpty();
        }

        string digestOid = ReadAlgorithm(info);
        (string hash, HashAlgorithmName hashName)? digest = DigestByOid(digestOid);
        if (digest is null)
        {
            return (null, digestOid == Sha224Oid
                ? "digest algorithm sha224, which .NET's cryptography does not offer"
                : $"digest algorithm {digestOid} is not one the kernel accepts");
        }

        byte[]? signedAttributes = null, messageDigest = null;
        if (info.PeekTag().HasSameClassAndValue(Context0))
        {
            signedAttributes = info.ReadEncodedValue().ToArray();
            signedAttributes[0] = 0x31; // the signature covers the attributes encoded as a SET OF
            bool hasContentType = false;
            var attributes = new AsnReader(signedAttributes, AsnEncodingRules.BER).ReadSetOf(skipSortOrderValidation: true);
            while (attributes.HasData)
            {
                var attribute = attributes.ReadSequence();
                string type = attribute.ReadObjectIdentifier();
                var values = attribute.ReadSetOf(skipSortOrderValidation: true);
                if (type == MessageDigestAttributeOid)
                {
                    messageDigest = values.ReadOctetString();
                }
                else if (type == ContentTypeAttributeOid)
                {
                    hasContentType = values.ReadObjectIdentifier() == DataOid;
                }
            }

            if (!hasContentType || messageDigest is null)
            {
                return (null, "signed attributes lack the contentType or messageDigest attribute");
            }
        }

        string signatureOid = ReadAlgorithm(info);
        string? keyAlgorithm = KeyAlgorithmByOid(signatureOid);
        if (keyAlgorithm is null)
        {
            return (null, $"signature algorithm {signatureOid} is not one the kernel accepts");
        }

        byte[] signature = info.ReadOctetString();
        if (info.HasData && info.PeekTag().HasSameClassAndValue(Context1))
        {
            info.ReadEncodedValue();
        }

        info.ThrowIfNotEmpty();
        return (new Signer(issuer, serial, keyId, digest.Value.hash, digest.Value.hashName, keyAlgorithm, signedAttributes, messageDigest, signature), null);
    }

    // A version INTEGER whose content is one byte (the kernel reads only such), else -1.
    private static int SingleByteVersion(AsnReader reader)
    {
        var contents = reader.ReadIntegerBytes().Span;
        return contents.Length == 1 ? contents[0] : -1;
    }

    private static string ReadAlgorithm(AsnReader reader)
    {
        var algorithm = reader.ReadSequence();
        string oid = algorithm.ReadObjectIdentifier();
        if (algorithm.HasData)
        {
            algorithm.ReadEncodedValue();
        }

        algorithm.ThrowIfNotEmpty();
        return oid;
    }

    private const string Sha224Oid = "2.16.840.1.101.3.4.2.4";

    // The digests the kernel's PKCS#7 parser knows and .NET can compute: not md4, md5, sm3 and Streebog (which module
    // signing does not offer) nor sha224 (which it does, but .NET has no SHA-224).
    private static (string, HashAlgorithmName)? DigestByOid(string oid) => oid switch
    {
        "1.3.14.3.2.26" => ("sha1", HashAlgorithmName.SHA1),
        "2.16.840.1.101.3.4.2.1" => ("sha256", HashAlgorithmName.SHA256),
        "2.16.840.1.101.3.4.2.2" => ("sha384", HashAlgorithmName.SHA384),
        "2.16.840.1.101.3.4.2.3" => ("sha512", HashAlgorithmName.SHA512),
        "2.16.840.1.101.3.4.2.8" => ("sha3-256", HashAlgorithmName.SHA3_256),
        "2.16.840.1.101.3.4.2.9" => ("sha3-384", HashAlgorithmName.SHA3_384),
        "2.16.840.1.101.3.4.2.10" => ("sha3-512", HashAlgorithmName.SHA3_512),
        _ => null,
    };

    // pkcs7_sig_note_pkey_algo: rsaEncryption (PKCS#1 v1.5), ECDSA with a SHA-2 or SHA-3 digest, and (newer kernels)
    // RSA PKCS#1 v1.5 with a SHA-3 digest.
    private static string? KeyAlgorithmByOid(string oid) => oid switch
    {
        "1.2.840.113549.1.1.1" => "rsa",
        "2.16.840.1.101.3.4.3.14" or "2.16.840.1.101.3.4.3.15" or "2.16.840.1.101.3.4.3.16" => "rsa",
        "1.2.840.10045.4.1" or "1.2.840.10045.4.3.1" or "1.2.840.10045.4.3.2" or "1.2.840.10045.4.3.3" or "1.2.840.10045.4.3.4" => "ecdsa",
        "2.16.840.1.101.3.4.3.10" or "2.16.840.1.101.3.4.3.11" or "2.16.840.1.101.3.4.3.12" => "ecdsa",
        _ => null,
    };

    private static byte[] Hash(string name, ReadOnlySpan<byte> data) => name switch
    {
        "sha1" => SHA1.HashData(data),
        "sha256" => SHA256.HashData(data),
        "sha384" => SHA384.HashData(data),
        "sha512" => SHA512.HashData(data),
        "sha3-256" => SHA3_256.HashData(data),
        "sha3-384" => SHA3_384.HashData(data),
        _ => SHA3_512.HashData(data),
    };

    private static bool IsPlatformCryptoAvailable()
    {
        try
        {
            SHA256.HashData(ReadOnlySpan<byte>.Empty);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
