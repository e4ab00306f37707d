using System.Text;

namespace ModKit.Signing;

/// <summary>
/// The hex form in which modinfo prints <c>sig_key</c> and <c>signature</c>
/// (libkmod-module.c, <c>kmod_module_hex_to_str</c>).
/// </summary>
public static class HexFormat
{
    /// <summary>kmod breaks the line after this many bytes.</summary>
    public const int BytesPerLine = 20;

    /// <summary>
    /// Formats <paramref name="bytes"/> as uppercase two-digit hex separated by <c>':'</c>; after every
    /// 20th byte, if more follow, the <c>':'</c> is followed by <c>"\n\t\t"</c>. No trailing separator.
    /// </summary>
    /// <param name="bytes">The bytes to format.</param>
    /// <returns>The formatted text; the empty string for no bytes (kmod then prints an empty value).</returns>
    public static string Format(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        var text = new StringBuilder(bytes.Length * 3 + (bytes.Length / BytesPerLine) * 3);
        for (int i = 0; i < bytes.Length; i++)
        {
            text.Append(HexDigit(bytes[i] >> 4)).Append(HexDigit(bytes[i] & 0xF));
            if (i < bytes.Length - 1)
            {
                text.Append(':');
                if ((i + 1) % BytesPerLine == 0)
                {
                    text.Append("\n\t\t");
                }
            }
        }

        return text.ToString();
    }

    private static char HexDigit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
}
