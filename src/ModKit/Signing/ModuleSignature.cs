using System.Diagnostics.CodeAnalysis;
using Microsoft.Win32.SafeHandles;

namespace ModKit.Signing;

/// <summary>
/// The signature appended to a module, as kmod 30's modinfo reports it (<c>sig_id</c>, <c>signer</c>,
/// <c>sig_key</c>, <c>sig_hashalgo</c>, <c>signature</c>). kmod only reports signatures, it never verifies them.
/// </summary>
/// <remarks>
/// Reading works on the end of the (decompressed) module only: read the last <see cref="FixedTrailerLength"/>
/// bytes, ask <see cref="TryGetTailLength"/> how much of the end the signature occupies, read that tail and
/// pass it to <see cref="TryDecode"/>. <see cref="TryRead(ReadOnlySpan{byte}, out ModuleSignature?, SignatureRules)"/> and
/// <see cref="TryRead(SafeFileHandle, out ModuleSignature?, SignatureRules)"/> do both steps.
/// </remarks>
public sealed partial class ModuleSignature
{
    private ModuleSignature(string idType, byte[] signer, byte[] keyId, string hashAlgorithm, byte[] signature, long contentLength)
    {
        IdType = idType;
        Signer = signer;
        KeyId = keyId;
        HashAlgorithm = hashAlgorithm;
        Signature = signature;
        ContentLength = contentLength;
    }

    /// <summary>
    /// The size of the fixed part at the very end of a signed module: the 12-byte <c>struct module_signature</c>
    /// followed by the 28-byte magic <c>"~Module signature appended~\n"</c>.
    /// </summary>
    public const int FixedTrailerLength = SignatureTrailerLayout.FixedLength;

    /// <summary>The magic string that ends a signed module.</summary>
    public static ReadOnlySpan<byte> Magic => SignatureTrailerLayout.Magic;

    /// <summary>What modinfo prints as <c>sig_id</c>: <c>"PGP"</c>, <c>"X509"</c> or <c>"PKCS#7"</c>.</summary>
    public string IdType { get; }

    /// <summary>
    /// What modinfo prints as <c>signer</c>, as raw bytes (usually UTF-8, but modinfo copies them unchanged).
    /// Legacy trailers: the signer-name bytes. PKCS#7: the value of the issuer's first commonName; without one,
    /// the value of the issuer's last attribute; for an empty issuer, nothing. Cut at the first NUL byte.
    /// </summary>
    public ReadOnlyMemory<byte> Signer { get; }

    /// <summary>
    /// What modinfo prints as <c>sig_key</c> (format it with <see cref="HexFormat.Format"/>). Legacy trailers: the
    /// key-id bytes. PKCS#7: the issuer serial number's magnitude as big-endian bytes without leading zeros (no
    /// 0x00 sign byte, sign dropped; a zero serial number gives no bytes).
    /// </summary>
    public ReadOnlyMemory<byte> KeyId { get; }

    /// <summary>
    /// What modinfo prints as <c>sig_hashalgo</c>: one of <c>md4</c>, <c>md5</c>, <c>sha1</c>, <c>rmd160</c>,
    /// <c>sha256</c>, <c>sha384</c>, <c>sha512</c>, <c>sha224</c>, <c>sm3</c> (kmod 30's table), or with
    /// <see cref="SignatureRules.Kmod34OpenSsl35"/> OpenSSL's name of any digest.
    /// </summary>
    public string HashAlgorithm { get; }

    /// <summary>
    /// What modinfo prints as <c>signature</c> (format it with <see cref="HexFormat.Format"/>): the raw signature
    /// bytes of a legacy trailer, the encryptedDigest of PKCS#7.
    /// </summary>
    public ReadOnlyMemory<byte> Signature { get; }

    /// <summary>
    /// The length of the module without its signature: the offset at which the signer name (or, for PKCS#7,
    /// the signature data) begins, i.e. the length of the ELF image.
    /// </summary>
    public long ContentLength { get; }

    /// <summary>Reads the signature of a whole decompressed module image.</summary>
    /// <param name="image">The decompressed module.</param>
    /// <param name="signature">The signature; <see langword="null"/> when the method returns <see langword="false"/>.</param>
    /// <param name="signatureRules">How the PKCS#7 digest algorithm is named: as kmod 30 (the default) or kmod ≥ 32 do.</param>
    /// <returns><see langword="true"/> when kmod 30 (or the release <paramref name="signatureRules"/> stands for) would report a signature.</returns>
    public static bool TryRead(ReadOnlySpan<byte> image, [NotNullWhen(true)] out ModuleSignature? signature,
        SignatureRules signatureRules = SignatureRules.Kmod30OpenSsl30)
    {
        signature = null;
        return image.Length >= FixedTrailerLength
            && TryGetTailLength(image[^FixedTrailerLength..], image.Length, out _)
            && TryDecode(image, image.Length, out signature, signatureRules);
    }

    /// <summary>
    /// Reads the signature of an uncompressed module file, reading only its end with positional reads.
    /// </summary>
    /// <param name="file">An open, seekable module file; its current position is not used or changed.</param>
    /// <param name="signature">The signature; <see langword="null"/> when the method returns <see langword="false"/>.</param>
    /// <param name="signatureRules">How the PKCS#7 digest algorithm is named: as kmod 30 (the default) or kmod ≥ 32 do.</param>
    /// <returns><see langword="true"/> when kmod 30 (or the release <paramref name="signatureRules"/> stands for) would report a signature.</returns>
    /// <exception cref="IOException">Reading the file failed.</exception>
    public static bool TryRead(SafeFileHandle file, [NotNullWhen(true)] out ModuleSignature? signature,
        SignatureRules signatureRules = SignatureRules.Kmod30OpenSsl30)
    {
        ArgumentNullException.ThrowIfNull(file);
        signature = null;
        long fileLength = RandomAccess.GetLength(file);
        if (fileLength < FixedTrailerLength)
        {
            return false;
        }

        Span<byte> last = stackalloc byte[FixedTrailerLength];
        if (!TryReadExactly(file, last, fileLength - FixedTrailerLength)
            || !TryGetTailLength(last, fileLength, out int tailLength))
        {
            return false;
        }

        byte[] tail = new byte[tailLength];
        return TryReadExactly(file, tail, fileLength - tailLength) && TryDecode(tail, fileLength, out signature, signatureRules);
    }

    private static bool TryReadExactly(SafeFileHandle file, Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            int read = RandomAccess.Read(file, buffer, offset);
            if (read <= 0)
            {
                return false;
            }

            buffer = buffer[read..];
            offset += read;
        }

        return true;
    }
}
