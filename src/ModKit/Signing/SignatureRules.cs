namespace ModKit.Signing;

/// <summary>
/// Which libkmod and libcrypto read a PKCS#7 module signature (<see cref="KmodProfile.SignatureRules"/>): Debian 12's
/// kmod 30 with OpenSSL 3.0, or Debian 13's kmod 34.2 with OpenSSL 3.5. They differ in how the digest is named and
/// in a few BER corner cases that make the whole signature unreadable (then modinfo shows none).
/// </summary>
public enum SignatureRules
{
    /// <summary>
    /// kmod 30 and OpenSSL 3.0: only the kernel's nine digests (<c>md4</c> ... <c>sm3</c>, ripemd-160 as <c>rmd160</c>),
    /// any other digest hides the signature; a long-form length needs one byte more than its length octets, and
    /// the outer header must fit in the 8 bytes <c>d2i_PKCS7_bio</c> reads first.
    /// </summary>
    Kmod30OpenSsl30,

    /// <summary>
    /// kmod ≥ 32 and OpenSSL 3.5: any digest, by OpenSSL's long name (<c>OBJ_obj2txt</c>: <c>sha3-256</c>,
    /// <c>ripemd160</c>) or its dotted object identifier; long-form lengths may end their enclosing data; a UTCTime
    /// shorter than 13 bytes or a GeneralizedTime shorter than 15 is refused (found by running both on crafted
    /// signatures).
    /// </summary>
    Kmod34OpenSsl35,
}
