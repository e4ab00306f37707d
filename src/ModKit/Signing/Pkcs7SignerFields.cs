namespace ModKit.Signing;

/// <summary>What kmod reports from the first SignerInfo of a PKCS#7 signature.</summary>
/// <param name="Signer">The issuer's commonName as stored (see <see cref="Pkcs7Decoder"/>).</param>
/// <param name="SerialNumber">The issuer serial number's magnitude, big-endian, no leading zeros.</param>
/// <param name="HashAlgorithm">kmod 30's name for the digest algorithm.</param>
/// <param name="Signature">The encryptedDigest bytes.</param>
internal sealed record Pkcs7SignerFields(byte[] Signer, byte[] SerialNumber, string HashAlgorithm, byte[] Signature);
