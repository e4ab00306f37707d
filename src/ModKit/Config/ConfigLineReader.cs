using System.Text;

namespace ModKit.Config;

/// <summary>Logical lines of a config file (<c>shared/util.c: freadline_wrapped</c>).</summary>
internal static class ConfigLineReader
{
    /// <summary>
    /// Splits <paramref name="data"/> into logical lines: a backslash before a newline joins the lines (the
    /// newline is dropped), a backslash before any other byte keeps only that byte. Each line comes with the
    /// number of the last physical line it took, which is what kmod's messages cite. A line stops at a NUL
    /// byte, as a C string does.
    /// </summary>
    public static IEnumerable<(string Line, int LineNumber)> ReadLogicalLines(byte[] data)
    {
        var line = new List<byte>();
        int lineNumber = 0;
        int pending = 0;
        int p = 0;
        while (true)
        {
            if (p == data.Length)
            {
                if (line.Count > 0)
                {
                    yield return (Decode(line), lineNumber + pending + 1);
                }

                yield break;
            }

            byte b = data[p++];
            if (b == (byte)'\n')
            {
                lineNumber += pending + 1;
                pending = 0;
                yield return (Decode(line), lineNumber);
                line.Clear();
                continue;
            }

            if (b == (byte)'\\')
            {
                if (p == data.Length)
                {
                    // kmod stores getc's EOF (-1) as a byte; it becomes U+FFFD here.
                    line.Add(0xFF);
                    continue;
                }

                b = data[p++];
                if (b == (byte)'\n')
                {
                    pending++;
                    continue;
                }
            }

            line.Add(b);
        }
    }

    private static string Decode(List<byte> line)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(line);
        int nul = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? span : span[..nul]);
    }
}
