namespace ModKit.Signing;

/// <summary>The three answers of OpenSSL's template decoder for one field.</summary>
internal enum BerOutcome
{
    /// <summary>Malformed: the whole <c>d2i_PKCS7</c> fails, and kmod reports no signature.</summary>
    Failed,

    /// <summary>An OPTIONAL field whose tag did not match: the field is absent.</summary>
    Absent,

    /// <summary>The field was read.</summary>
    Read,
}
