namespace ModKit.Signing;

/// <summary>The outcome of checking a module's signature as the kernel does (<see cref="ModuleSignatureVerifier"/>).</summary>
public enum SignatureStatus
{
    /// <summary>A signer's signature over the module checks out with one of the given certificates' keys.</summary>
    Valid,

    /// <summary>The module ends without <c>"~Module signature appended~\n"</c>.</summary>
    Unsigned,

    /// <summary>The signature is well formed but no given certificate matches a signer (the kernel's ENOKEY).</summary>
    UnknownKey,

    /// <summary>A signer's key was found but the signature or the message digest does not match (the kernel's EKEYREJECTED).</summary>
    BadSignature,

    /// <summary>
    /// The trailer or the PKCS#7 message is not what the kernel accepts: a bad <c>struct module_signature</c>, an id type
    /// other than PKCS#7, undecodable DER, embedded content, or a digest or signature algorithm the kernel does not know.
    /// </summary>
    Malformed,
}
