using System.Buffers;
using System.Text;

namespace ModKit.Depmod;

/// <summary>One of depmod's text files as it is made: strings are encoded straight into the file's buffer.</summary>
internal sealed class OutputText
{
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);

    /// <summary>The bytes written so far.</summary>
    public int Length => _buffer.WrittenCount;

    public OutputText Append(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    public OutputText Append(byte b)
    {
        _buffer.GetSpan(1)[0] = b;
        _buffer.Advance(1);
        return this;
    }

    /// <summary>Appends a string's UTF-8 bytes.</summary>
    public OutputText Append(string text)
    {
        var span = _buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        _buffer.Advance(Encoding.UTF8.GetBytes(text, span));
        return this;
    }

    public DepmodOutput ToOutput(string name) => new(name, _buffer.WrittenSpan.ToArray(), false);
}
