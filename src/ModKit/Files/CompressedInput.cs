using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace ModKit.Files;

/// <summary>
/// The compressed bytes of a module, read in chunks from a file (with <c>pread</c>, from offset 0) or a
/// stream (from its position) into a pooled buffer that decoders consume from the front.
/// </summary>
internal sealed class CompressedInput : IDisposable
{
    // Large enough that a typical module (tens of KiB compressed) is one read, small enough to stay cheap.
    private const int ChunkSize = 128 * 1024;

    private readonly SafeFileHandle? _file;
    private readonly Stream? _stream;
    private byte[] _buffer;
    private long _fileOffset;
    private int _start;
    private int _end;
    private bool _endOfInput;

    public CompressedInput(SafeFileHandle file, long offset = 0)
    {
        _file = file;
        _buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        long fileLength = RandomAccess.GetLength(file);
        _fileOffset = Math.Min(offset, fileLength);
        StartOffset = _fileOffset;
        FileLength = fileLength;
        Length = fileLength - _fileOffset;
    }

    public CompressedInput(Stream stream)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        Length = stream.CanSeek ? Math.Max(0, stream.Length - stream.Position) : null;
    }

    /// <summary>Where in the file the input starts (0 for a stream).</summary>
    public long StartOffset { get; }

    /// <summary>The length of the whole file, when the input is a file.</summary>
    public long? FileLength { get; }

    /// <summary>How many bytes the decoder has consumed since <see cref="StartOffset"/>.</summary>
    public long Consumed => _fileOffset - StartOffset - (_end - _start);

    /// <summary>The number of compressed bytes, when known; only a hint for sizing buffers.</summary>
    public long? Length { get; }

    /// <summary>The bytes read but not yet consumed.</summary>
    public ReadOnlySpan<byte> Available => _buffer.AsSpan(_start, _end - _start);

    /// <summary>Marks <paramref name="count"/> bytes at the front of <see cref="Available"/> as consumed.</summary>
    public void Consume(int count)
    {
        _start += count;
    }

    /// <summary>
    /// Appends the next chunk of input to <see cref="Available"/>, keeping what was not yet consumed.
    /// </summary>
    /// <returns><see langword="false"/> once the input is exhausted.</returns>
    public bool Fill()
    {
        if (_endOfInput)
        {
            return false;
        }

        if (_start > 0)
        {
            Available.CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        Span<byte> free = _buffer.AsSpan(_end);
        int read = _file is not null ? RandomAccess.Read(_file, free, _fileOffset) : _stream!.Read(free);
        if (read == 0)
        {
            _endOfInput = true;
            return false;
        }

        _fileOffset += read;
        _end += read;
        return true;
    }

    /// <summary>Reads the last bytes of the input without consuming anything, when the input is a file.</summary>
    /// <param name="destination">Receives the input's last <c>destination.Length</c> bytes.</param>
    /// <returns><see langword="false"/> when the input is not a file or is too short.</returns>
    /// <summary>
    /// Reads the next bytes into <paramref name="destination"/>: what is buffered first, then straight from
    /// the file or stream (no copy through the buffer).
    /// </summary>
    /// <returns>The number of bytes read; 0 at the end of the input.</returns>
    public int ReadDirect(Span<byte> destination)
    {
        if (_end > _start)
        {
            int buffered = Math.Min(destination.Length, _end - _start);
            Available[..buffered].CopyTo(destination);
            Consume(buffered);
            return buffered;
        }

        if (_endOfInput || destination.IsEmpty)
        {
            return 0;
        }

        int read = _file is not null ? RandomAccess.Read(_file, destination, _fileOffset) : _stream!.Read(destination);
        if (read == 0)
        {
            _endOfInput = true;
        }

        _fileOffset += read;
        return read;
    }

    public bool TryReadTail(Span<byte> destination)
    {
        if (_file is null || Length is not long length || length < destination.Length)
        {
            return false;
        }

        return RandomAccess.Read(_file, destination, length - destination.Length) == destination.Length;
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
