using System.Text;

namespace ModKit.Cli;

/// <summary>
/// A byte-exact, buffered writer for a tool's standard output. Module data is printed as the raw
/// bytes it holds (not re-encoded), like kmod's <c>printf("%s")</c>.
/// </summary>
/// <remarks>
/// The buffer starts at <see cref="InitialCapacity"/> and doubles each time it fills, up to
/// <see cref="MaxCapacity"/>: one module's information fits the first buffer, and a short run does
/// not pay for a 64 KiB array (in a small VM every fresh page costs a page fault, ~17 µs measured),
/// while a whole tree's output is still written in 64 KiB blocks.
/// </remarks>
internal sealed class ToolOutput(Stream stream) : IDisposable
{
    /// <summary>The first buffer's size.</summary>
    public const int InitialCapacity = 4 * 1024;

    /// <summary>The largest buffer.</summary>
    public const int MaxCapacity = 64 * 1024;

    private byte[] _buffer = [];
    private int _count;

    public ToolOutput Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _count)
        {
            Grow();
            if (bytes.Length > _buffer.Length)
            {
                stream.Write(bytes);
                return this;
            }
        }

        bytes.CopyTo(_buffer.AsSpan(_count));
        _count += bytes.Length;
        return this;
    }

    public ToolOutput Write(string text)
    {
        // Encoded straight into the buffer: no array per string (a plan prints a path per line).
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (max > _buffer.Length - _count)
        {
            Grow();
            if (max > _buffer.Length - _count)
            {
                return Write(Encoding.UTF8.GetBytes(text));
            }
        }

        _count += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_count));
        return this;
    }

    public ToolOutput Write(byte b)
    {
        if (_count == _buffer.Length)
        {
            Grow();
        }

        _buffer[_count++] = b;
        return this;
    }

    /// <summary>Writes <paramref name="count"/> spaces (printf field padding).</summary>
    public ToolOutput Spaces(int count)
    {
        for (int i = 0; i < count; i++)
        {
            Write((byte)' ');
        }

        return this;
    }

    public void Flush()
    {
        if (_count > 0)
        {
            stream.Write(_buffer, 0, _count);
            _count = 0;
        }

        stream.Flush();
    }

    public void Dispose() => Flush();

    // The buffer is full (or not there yet): its bytes are written out, and it doubles up to MaxCapacity.
    private void Grow()
    {
        if (_count > 0)
        {
            stream.Write(_buffer, 0, _count);
            _count = 0;
        }

        if (_buffer.Length < MaxCapacity)
        {
            _buffer = new byte[Math.Max(InitialCapacity, _buffer.Length * 2)];
        }
    }
}
