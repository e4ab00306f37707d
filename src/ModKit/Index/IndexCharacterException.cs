using System.Globalization;
using System.Text;

namespace ModKit.Index;

/// <summary>
/// Thrown by <see cref="IndexWriter"/> for a key or value holding a byte outside 7-bit ASCII: a node's child
/// table is indexed by character 0..127, so such a byte cannot be stored (kmod <c>tools/depmod.c:
/// index__checkstring</c>, which stops depmod with a fatal error).
/// </summary>
public sealed class IndexCharacterException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="character">The offending byte.</param>
    /// <param name="text">The whole key or value holding it, as bytes.</param>
    public IndexCharacterException(byte character, ReadOnlySpan<byte> text)
        : base(string.Create(CultureInfo.InvariantCulture, $"Index key or value holds byte 0x{character:x2}; only 7-bit ASCII is supported"))
    {
        Character = character;
        Text = text.ToArray();
    }

    /// <summary>The first byte of <see cref="Text"/> that is not 7-bit ASCII.</summary>
    public byte Character { get; }

    /// <summary>The key or value that was refused.</summary>
    public IReadOnlyList<byte> Text { get; }

    /// <summary>
    /// The text of kmod's fatal message for this input, without the <c>FATAL: </c> prefix the log adds:
    /// <c>Module index: bad character '&lt;c&gt;'=0x&lt;hex&gt; - only 7-bit ASCII is supported:\n&lt;text&gt;\n</c>,
    /// as bytes because the character and text are printed raw.
    /// </summary>
    /// <returns>The message bytes.</returns>
    public byte[] KmodMessage()
    {
        var message = new List<byte>();
        message.AddRange("Module index: bad character '"u8);
        message.Add(Character);
        message.AddRange(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"'=0x{Character:x} - only 7-bit ASCII is supported:\n")));
        message.AddRange(Text);
        message.Add((byte)'\n');
        return [.. message];
    }
}
