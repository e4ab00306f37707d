namespace ModKit.Signing;

/// <summary>
/// The body of a SEQUENCE or SET OF being read field by field, with OpenSSL's rules for where the body
/// ends: an end-of-contents marker only in the indefinite form, and no bytes left over in the definite form.
/// </summary>
internal ref struct BerConstructed
{
    private readonly bool _indefinite;
    private bool _ended;

    public BerConstructed(BerReader parent, BerHeader header)
    {
        Body = parent.OpenContents(header);
        _indefinite = header.IsIndefinite;
    }

    /// <summary>The reader positioned at the next field.</summary>
    public BerReader Body;

    /// <summary>Set when an end-of-contents marker appeared inside a definite-length body.</summary>
    public bool Failed { get; private set; }

    /// <summary>
    /// True when another field follows. False at the end of the body: no bytes left, or the end-of-contents
    /// marker of the indefinite form (consumed here). Check <see cref="Failed"/> after a false answer.
    /// </summary>
    public bool HasField()
    {
        if (_ended || Failed || Body.Remaining == 0)
        {
            return false;
        }

        if (Body.AtEndOfContents)
        {
            if (!_indefinite)
            {
                Failed = true;
                return false;
            }

            Body.TrySkipEndOfContents();
            _ended = true;
            return false;
        }

        return true;
    }

    /// <summary>Checks that the body ends here and moves <paramref name="parentPosition"/> past the element.</summary>
    public bool TryFinish(ref int parentPosition)
    {
        if (Failed)
        {
            return false;
        }

        if (_indefinite)
        {
            if (!_ended && !Body.TrySkipEndOfContents())
            {
                return false;
            }

            parentPosition = Body.Position;
            return true;
        }

        if (Body.Remaining != 0)
        {
            return false;
        }

        parentPosition = Body.End;
        return true;
    }
}
