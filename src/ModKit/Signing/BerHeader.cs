namespace ModKit.Signing;

/// <summary>An identifier and length octets as OpenSSL's <c>ASN1_get_object</c> reads them.</summary>
internal readonly struct BerHeader
{
    public BerHeader(int tagNumber, int tagClass, bool isConstructed, bool isIndefinite, int start, int contentStart, int contentEnd)
    {
        TagNumber = tagNumber;
        TagClass = tagClass;
        IsConstructed = isConstructed;
        IsIndefinite = isIndefinite;
        Start = start;
        ContentStart = contentStart;
        ContentEnd = contentEnd;
    }

    public int TagNumber { get; }

    /// <summary>One of <see cref="BerReader.Universal"/>, <see cref="BerReader.ContextSpecific"/>, … (the top two bits).</summary>
    public int TagClass { get; }

    public bool IsConstructed { get; }

    public bool IsIndefinite { get; }

    /// <summary>Offset of the identifier octet.</summary>
    public int Start { get; }

    public int ContentStart { get; }

    /// <summary>End of the contents for the definite form; for the indefinite form, the end of the enclosing data.</summary>
    public int ContentEnd { get; }

    public bool Is(int tagNumber, int tagClass) => TagNumber == tagNumber && TagClass == tagClass;
}
