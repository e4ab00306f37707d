namespace ModKit.Signing;

/// <summary>
/// kmod 30's fixed digest table (libkmod-signature.c, <c>pkey_hash_algo</c>): the legacy trailer names its
/// digest by index, PKCS#7 by object identifier. kmod 30 knows no other digest; later versions ask the
/// crypto library for any name (<see cref="OpenSslName"/>).
/// </summary>
internal static class HashAlgorithmNames
{
    // OpenSSL's long names (what OBJ_obj2txt prints) of the objects a signature could plausibly give as its digest.
    private static readonly Dictionary<string, string> OpenSslLongNames = new(StringComparer.Ordinal)
    {
        ["1.2.840.113549.2.2"] = "md2",
        ["1.2.840.113549.2.4"] = "md4",
        ["1.2.840.113549.2.5"] = "md5",
        ["1.3.14.3.2.18"] = "sha",
        ["1.3.14.3.2.26"] = "sha1",
        ["1.3.36.3.2.1"] = "ripemd160",
        ["2.16.840.1.101.3.4.2.1"] = "sha256",
        ["2.16.840.1.101.3.4.2.2"] = "sha384",
        ["2.16.840.1.101.3.4.2.3"] = "sha512",
        ["2.16.840.1.101.3.4.2.4"] = "sha224",
        ["2.16.840.1.101.3.4.2.5"] = "sha512-224",
        ["2.16.840.1.101.3.4.2.6"] = "sha512-256",
        ["2.16.840.1.101.3.4.2.7"] = "sha3-224",
        ["2.16.840.1.101.3.4.2.8"] = "sha3-256",
        ["2.16.840.1.101.3.4.2.9"] = "sha3-384",
        ["2.16.840.1.101.3.4.2.10"] = "sha3-512",
        ["2.16.840.1.101.3.4.2.11"] = "shake128",
        ["2.16.840.1.101.3.4.2.12"] = "shake256",
        ["1.2.156.10197.1.401"] = "sm3",
        ["2.5.8.3.101"] = "mdc2",
        ["1.0.10118.3.0.55"] = "whirlpool",
        ["1.3.6.1.4.1.1722.12.2.1.16"] = "blake2b512",
        ["1.3.6.1.4.1.1722.12.2.2.8"] = "blake2s256",
        ["1.2.643.2.2.9"] = "GOST R 34.11-94",
        ["1.2.643.7.1.1.2.2"] = "GOST R 34.11-2012 with 256 bit hash",
        ["1.2.643.7.1.1.2.3"] = "GOST R 34.11-2012 with 512 bit hash",
        ["1.2.840.113549.1.1.1"] = "rsaEncryption",
        ["1.2.840.113549.1.1.4"] = "md5WithRSAEncryption",
        ["1.2.840.113549.1.1.5"] = "sha1WithRSAEncryption",
        ["1.2.840.113549.1.1.11"] = "sha256WithRSAEncryption",
        ["1.2.840.113549.1.1.12"] = "sha384WithRSAEncryption",
        ["1.2.840.113549.1.1.13"] = "sha512WithRSAEncryption",
        ["1.2.840.113549.1.1.14"] = "sha224WithRSAEncryption",
    };

    /// <summary>The names by the index used in <c>struct module_signature.hash</c>.</summary>
    public static readonly string[] ByIndex = ["md4", "md5", "sha1", "rmd160", "sha256", "sha384", "sha512", "sha224", "sm3"];

    /// <summary>
    /// Maps the contents of a DER OBJECT IDENTIFIER to kmod's name, or <see langword="null"/> when kmod 30's
    /// table has no entry (kmod then reports no signature at all). OpenSSL matches one OID per digest, so
    /// e.g. sha256WithRSAEncryption as a digest algorithm is unknown.
    /// </summary>
    public static string? FromOid(ReadOnlySpan<byte> oid) => oid switch
    {
        [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02, 0x04] => "md4",             // 1.2.840.113549.2.4
        [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02, 0x05] => "md5",             // 1.2.840.113549.2.5
        [0x2B, 0x0E, 0x03, 0x02, 0x1A] => "sha1",                              // 1.3.14.3.2.26
        [0x2B, 0x24, 0x03, 0x02, 0x01] => "rmd160",                            // 1.3.36.3.2.1
        [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01] => "sha256",    // 2.16.840.1.101.3.4.2.1
        [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02] => "sha384",    // 2.16.840.1.101.3.4.2.2
        [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03] => "sha512",    // 2.16.840.1.101.3.4.2.3
        [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04] => "sha224",    // 2.16.840.1.101.3.4.2.4
        [0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x83, 0x11] => "sm3",             // 1.2.156.10197.1.401
        _ => null,
    };

    /// <summary>
    /// What kmod ≥ 32 prints for a PKCS#7 digest algorithm (<c>OBJ_obj2txt(..., 0)</c>): OpenSSL's long name of the
    /// object, else its dotted form; <see langword="null"/> when the content is not a valid OBJECT IDENTIFIER
    /// (OpenSSL then refuses the whole blob).
    /// </summary>
    public static string? OpenSslName(ReadOnlySpan<byte> oid)
    {
        string? dotted = Dotted(oid);
        return dotted is null ? null : OpenSslLongNames.GetValueOrDefault(dotted, dotted);
    }

    // X.690 8.19: base-128 subidentifiers, the first one holding the first two arcs. OpenSSL (c2i_ASN1_OBJECT)
    // rejects empty content, a subidentifier with a leading 0x80 and a truncated last one.
    private static string? Dotted(ReadOnlySpan<byte> oid)
    {
        if (oid.IsEmpty || (oid[^1] & 0x80) != 0)
        {
            return null;
        }

        var text = new System.Text.StringBuilder();
        bool first = true;
        int start = 0;
        while (start < oid.Length)
        {
            if (oid[start] == 0x80)
            {
                return null;
            }

            int end = start;
            while ((oid[end] & 0x80) != 0)
            {
                end++;
            }

            var value = System.Numerics.BigInteger.Zero;
            for (int i = start; i <= end; i++)
            {
                value = (value << 7) | (oid[i] & 0x7F);
            }

            if (first)
            {
                int arc = value < 40 ? 0 : value < 80 ? 1 : 2;
                text.Append(arc).Append('.').Append(value - (arc * 40));
                first = false;
            }
            else
            {
                text.Append('.').Append(value);
            }

            start = end + 1;
        }

        return text.ToString();
    }
}
