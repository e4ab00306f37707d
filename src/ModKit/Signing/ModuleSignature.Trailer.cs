using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace ModKit.Signing;

/// <summary>The trailer rules of libkmod-signature.c, <c>kmod_module_signature_info</c>.</summary>
public sealed partial class ModuleSignature
{
    /// <summary>
    /// Checks the fixed trailer at the end of a module and tells how many bytes from the end the whole signature
    /// occupies (signer name, key id, signature data and the fixed trailer).
    /// </summary>
    /// <param name="last40">The last <see cref="FixedTrailerLength"/> bytes of the decompressed module (extra leading bytes are ignored).</param>
    /// <param name="fileLength">The length of the whole decompressed module.</param>
    /// <param name="tailLength">How many bytes to read from the end for <see cref="TryDecode"/>; the module content is
    /// the <paramref name="fileLength"/> − <paramref name="tailLength"/> bytes before them.</param>
    /// <returns>
    /// <see langword="false"/> when kmod reports no signature for this trailer: no magic, <c>algo</c> ≥ 2, <c>hash</c> ≥ 9,
    /// <c>id_type</c> ≥ 3, <c>sig_len</c> = 0, or the lengths add up to more than the file holds (and, beyond kmod,
    /// a tail over <see cref="Array.MaxLength"/> bytes).
    /// </returns>
    public static bool TryGetTailLength(ReadOnlySpan<byte> last40, long fileLength, out int tailLength)
    {
        tailLength = 0;
        if (last40.Length < FixedTrailerLength || fileLength < FixedTrailerLength)
        {
            return false;
        }

        ReadOnlySpan<byte> trailer = last40[^FixedTrailerLength..];
        if (!trailer[SignatureTrailerLayout.DescriptorLength..].SequenceEqual(SignatureTrailerLayout.Magic))
        {
            return false;
        }

        if (trailer[SignatureTrailerLayout.AlgorithmOffset] >= SignatureTrailerLayout.AlgorithmCount
            || trailer[SignatureTrailerLayout.HashOffset] >= HashAlgorithmNames.ByIndex.Length
            || trailer[SignatureTrailerLayout.IdTypeOffset] >= SignatureTrailerLayout.IdTypeCount)
        {
            return false;
        }

        uint signatureLength = BinaryPrimitives.ReadUInt32BigEndian(trailer[SignatureTrailerLayout.SignatureLengthOffset..]);
        long total = (long)signatureLength
            + trailer[SignatureTrailerLayout.SignerLengthOffset]
            + trailer[SignatureTrailerLayout.KeyIdLengthOffset]
            + FixedTrailerLength;
        if (signatureLength == 0 || total > fileLength || total > Array.MaxLength)
        {
            return false;
        }

        tailLength = (int)total;
        return true;
    }

    /// <summary>
    /// Decodes the signature from the end of a module: <paramref name="tail"/> must end where the module ends and
    /// hold at least the tail length <see cref="TryGetTailLength"/> gave (the whole image is fine too).
    /// Never throws for malformed data.
    /// </summary>
    /// <param name="tail">The last bytes of the decompressed module.</param>
    /// <param name="fileLength">The length of the whole decompressed module.</param>
    /// <param name="signature">The signature; <see langword="null"/> when the method returns <see langword="false"/>.</param>
    /// <param name="signatureRules">How the PKCS#7 digest algorithm is named: as kmod 30 (the default) or kmod ≥ 32 do.</param>
    /// <returns>
    /// <see langword="true"/> when kmod 30 (Debian's, with OpenSSL) would report a signature. For PKCS#7 it reports
    /// none when the data does not decode as a whole under OpenSSL's rules, the content is not signedData (or
    /// signedAndEnvelopedData), there is no SignerInfo, or the first SignerInfo's digest is not in kmod 30's table.
    /// </returns>
    public static bool TryDecode(ReadOnlySpan<byte> tail, long fileLength, [NotNullWhen(true)] out ModuleSignature? signature,
        SignatureRules signatureRules = SignatureRules.Kmod30OpenSsl30)
    {
        signature = null;
        if (tail.Length > fileLength || !TryGetTailLength(tail, fileLength, out int tailLength) || tail.Length < tailLength)
        {
            return false;
        }

        ReadOnlySpan<byte> trailer = tail[^FixedTrailerLength..];
        int signerLength = trailer[SignatureTrailerLayout.SignerLengthOffset];
        int keyIdLength = trailer[SignatureTrailerLayout.KeyIdLengthOffset];
        int signatureLength = tailLength - FixedTrailerLength - signerLength - keyIdLength;
        ReadOnlySpan<byte> parts = tail[^tailLength..^FixedTrailerLength];
        ReadOnlySpan<byte> signatureData = parts[(signerLength + keyIdLength)..];
        int idType = trailer[SignatureTrailerLayout.IdTypeOffset];
        string idName = SignatureTrailerLayout.IdTypeNames[idType];
        long contentLength = fileLength - tailLength;

        if (idType != SignatureTrailerLayout.IdTypePkcs7)
        {
            signature = new ModuleSignature(
                idName,
                parts[..signerLength].ToArray(),
                parts.Slice(signerLength, keyIdLength).ToArray(),
                HashAlgorithmNames.ByIndex[trailer[SignatureTrailerLayout.HashOffset]],
                signatureData.ToArray(),
                contentLength);
            return true;
        }

        // PKCS#7: the signer and key id lengths only take part in the bounds check; everything comes from the blob.
        Pkcs7SignerFields? fields = Pkcs7Decoder.Decode(signatureData[..signatureLength], signatureRules);
        if (fields is null)
        {
            return false;
        }

        signature = new ModuleSignature(idName, fields.Signer, fields.SerialNumber, fields.HashAlgorithm, fields.Signature, contentLength);
        return true;
    }
}
