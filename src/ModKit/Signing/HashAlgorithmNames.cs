namespace ModKit.Signing;

/// <summary>
/// kmod 30's fixed digest table (libkmod-signature.c, <c>pkey_hash_algo</c>): the legacy trailer names its
/// digest by index, PKCS#7 by object identifier. kmod 30 knows no other digest; later versions ask the
/// crypto library for any name.
/// </summary>
internal static class HashAlgorithmNames
{
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
}
