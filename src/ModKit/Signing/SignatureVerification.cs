namespace ModKit.Signing;

/// <summary>The result of <see cref="ModuleSignatureVerifier.Verify(ReadOnlySpan{byte}, IReadOnlyList{SigningCertificate})"/>.</summary>
/// <param name="Status">What the check found.</param>
/// <param name="Reason">A short explanation for the status (for example <c>"RSA signature does not match"</c>).</param>
/// <param name="Signer">The certificate whose key verified the signature (<see cref="SignatureStatus.Valid"/>), or that
/// matched a signer whose signature failed (<see cref="SignatureStatus.BadSignature"/>); otherwise <see langword="null"/>.</param>
/// <param name="HashAlgorithm">The signer's digest algorithm (<c>sha256</c>, <c>sha3-384</c>...), when the message could be read that far.</param>
/// <param name="KeyAlgorithm"><c>rsa</c> or <c>ecdsa</c>, when the message could be read that far.</param>
public sealed record SignatureVerification(
    SignatureStatus Status,
    string Reason,
    SigningCertificate? Signer = null,
    string? HashAlgorithm = null,
    string? KeyAlgorithm = null)
{
    /// <summary>The lower-case name of the status used in ModKit's text and JSON output: <c>valid</c>,
    /// <c>unsigned</c>, <c>unknown-key</c>, <c>bad-signature</c>, <c>malformed</c>.</summary>
    public string StatusName => NameOf(Status);

    /// <summary>The name <see cref="StatusName"/> gives for <paramref name="status"/>.</summary>
    /// <param name="status">A status.</param>
    /// <returns>Its lower-case name.</returns>
    public static string NameOf(SignatureStatus status) => status switch
    {
        SignatureStatus.Valid => "valid",
        SignatureStatus.Unsigned => "unsigned",
        SignatureStatus.UnknownKey => "unknown-key",
        SignatureStatus.BadSignature => "bad-signature",
        _ => "malformed",
    };
}
