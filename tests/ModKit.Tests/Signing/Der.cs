namespace ModKit.Tests.Signing;

/// <summary>
/// Hand-made BER for inputs <see cref="System.Formats.Asn1.AsnWriter"/> refuses to write: wrong padding,
/// indefinite lengths, odd tag forms, arbitrary bytes under string tags.
/// </summary>
internal static class Der
{
    public static byte[] Length(int length)
    {
        if (length < 0x80)
        {
            return [(byte)length];
        }

        var bytes = new List<byte>();
        for (int v = length; v > 0; v >>= 8)
        {
            bytes.Insert(0, (byte)v);
        }

        bytes.Insert(0, (byte)(0x80 | bytes.Count));
        return [.. bytes];
    }

    public static byte[] Tlv(byte identifier, params byte[][] contents)
    {
        byte[] body = [.. contents.SelectMany(c => c)];
        return [identifier, .. Length(body.Length), .. body];
    }

    public static byte[] Indefinite(byte identifier, params byte[][] contents) =>
        [identifier, 0x80, .. contents.SelectMany(c => c), 0x00, 0x00];

    public static byte[] Seq(params byte[][] contents) => Tlv(0x30, contents);

    public static byte[] Set(params byte[][] contents) => Tlv(0x31, contents);

    public static byte[] Int(params byte[] contents) => Tlv(0x02, contents);

    public static byte[] Null() => [0x05, 0x00];

    public static byte[] Oid(string dotted)
    {
        ulong[] arcs = dotted.Split('.').Select(ulong.Parse).ToArray();
        var bytes = new List<byte> { (byte)(arcs[0] * 40 + arcs[1]) };
        foreach (ulong arc in arcs.Skip(2))
        {
            var digits = new List<byte> { (byte)(arc & 0x7F) };
            for (ulong v = arc >> 7; v > 0; v >>= 7)
            {
                digits.Insert(0, (byte)(0x80 | (v & 0x7F)));
            }

            bytes.AddRange(digits);
        }

        return Tlv(0x06, [.. bytes]);
    }

    /// <summary>A Name from RDNs of (attribute OID, value tag, value bytes).</summary>
    public static byte[] Name(params (string Oid, byte Tag, byte[] Value)[][] rdns) =>
        Seq([.. rdns.Select(rdn => Set([.. rdn.Select(a => Seq(Oid(a.Oid), Tlv(a.Tag, a.Value)))]))]);
}
