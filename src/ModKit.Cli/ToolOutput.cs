using System.Text;

namespace ModKit.Cli;

/// <summary>
/// A byte-exact, buffered writer for a tool's standard output. Module data is printed as the raw
/// bytes it holds (not re-encoded), like kmod's <c>printf("%s")</c>.
/// </summary>
internal sealed class ToolOutput(Stream stream) : IDisposable
{
    private readonly BufferedStream _stream = new(stream, 64 * 1024);

    public ToolOutput Write(ReadOnlySpan<byte> bytes)
    {
        _stream.Write(bytes);
        return this;
    }

    public ToolOutput Write(string text)
    {
        Span<byte> small = stackalloc byte[256];
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max <= small.Length)
        {
            int n = Encoding.UTF8.GetBytes(text, small);
            _stream.Write(small[..n]);
        }
        else
        {
            _stream.Write(Encoding.UTF8.GetBytes(text));
        }

        return this;
    }

    public ToolOutput Write(byte b)
    {
        _stream.WriteByte(b);
        return this;
    }

    /// <summary>Writes <paramref name="count"/> spaces (printf field padding).</summary>
    public ToolOutput Spaces(int count)
    {
        for (int i = 0; i < count; i++)
        {
            _stream.WriteByte((byte)' ');
        }

        return this;
    }

    public void Flush() => _stream.Flush();

    public void Dispose() => _stream.Flush();
}
