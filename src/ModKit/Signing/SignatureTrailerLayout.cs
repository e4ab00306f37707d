namespace ModKit.Signing;

/// <summary>
/// Offsets and sizes of the trailer the kernel's <c>sign-file</c> appends to a module:
/// <c>[module][signer name][key id][signature][struct module_signature][magic]</c>.
/// </summary>
internal static class SignatureTrailerLayout
{
    /// <summary>The magic string at the very end of a signed module.</summary>
    public static ReadOnlySpan<byte> Magic => "~Module signature appended~\n"u8;

    public const int MagicLength = 28;

    /// <summary>Size of <c>struct module_signature</c>, which sits right before the magic.</summary>
    public const int DescriptorLength = 12;

    /// <summary>Descriptor plus magic: the fixed part at the end of the file.</summary>
    public const int FixedLength = DescriptorLength + MagicLength;

    // struct module_signature { u8 algo, hash, id_type, signer_len, key_id_len; u8 pad[3]; be32 sig_len; }
    public const int AlgorithmOffset = 0;
    public const int HashOffset = 1;
    public const int IdTypeOffset = 2;
    public const int SignerLengthOffset = 3;
    public const int KeyIdLengthOffset = 4;
    public const int SignatureLengthOffset = 8;

    /// <summary>kmod rejects <c>algo</c> values from here on (only DSA = 0 and RSA = 1 exist).</summary>
    public const int AlgorithmCount = 2;

    /// <summary>kmod rejects <c>id_type</c> values from here on (PGP, X509, PKCS#7).</summary>
    public const int IdTypeCount = 3;

    public const int IdTypePkcs7 = 2;

    /// <summary>The names kmod prints for <c>id_type</c> (libkmod-signature.c, <c>pkey_id_type</c>).</summary>
    public static readonly string[] IdTypeNames = ["PGP", "X509", "PKCS#7"];
}
