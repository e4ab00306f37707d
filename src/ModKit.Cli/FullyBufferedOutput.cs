using System.Buffers;

namespace ModKit.Cli;

/// <summary>
/// Output that reaches its file as a fully buffered C stream's does: in whole blocks of <see cref="BlockSize"/>
/// bytes (the <c>st_blksize</c> of files and pipes, the size glibc gives a stream's buffer), the rest when
/// closed. Where standard error goes to the same file, its messages fall between the blocks as kmod's do.
/// Write errors are dropped, as kmod drops <c>fprintf</c>'s. A terminal is buffered by line instead: each
/// <see cref="Commit"/> (made at the end of a line) writes everything out.
/// </summary>
internal sealed class FullyBufferedOutput(Action<ReadOnlyMemory<byte>> sink, bool lineBuffered) : IDisposable
{
    public const int BlockSize = 4096;

    private readonly ArrayBufferWriter<byte> _buffer = new(2 * BlockSize);

    /// <summary>Collects the bytes written; <see cref="Commit"/> passes on the full blocks.</summary>
    public IBufferWriter<byte> Writer => _buffer;

    /// <summary>Writes out the whole blocks collected so far (all of it, buffered by line).</summary>
    public void Commit()
    {
        int whole = lineBuffered ? _buffer.WrittenCount : _buffer.WrittenCount / BlockSize * BlockSize;
        if (whole == 0)
        {
            return;
        }

        sink(_buffer.WrittenMemory[..whole]);
        var rest = _buffer.WrittenSpan[whole..].ToArray();
        _buffer.ResetWrittenCount();
        _buffer.Write(rest);
    }

    /// <summary>Writes out everything left (C's <c>fclose</c>).</summary>
    public void Dispose()
    {
        if (_buffer.WrittenCount > 0)
        {
            sink(_buffer.WrittenMemory);
            _buffer.ResetWrittenCount();
        }
    }
}
