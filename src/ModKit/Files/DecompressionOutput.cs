using System.Buffers;

namespace ModKit.Files;

/// <summary>
/// The growing output of a decoder: a buffer that doubles when full, never beyond the size limit, and
/// is finally trimmed to an array of the exact decompressed size.
/// </summary>
internal sealed class DecompressionOutput : IDisposable
{
    private const int MinimumCapacity = 64 * 1024;

    private readonly int _limit;
    private byte[] _buffer;
    private bool _pooled;
    private int _length;

    /// <summary>Creates an output whose buffer is sized from a guess (pooled) or from a size the input declares (exact).</summary>
    /// <param name="limit">The largest decompressed size accepted.</param>
    /// <param name="expectedSize">
    /// The size the compressed data declares (zstd frame header, gzip trailer), or <see langword="null"/>.
    /// Declared sizes are untrusted: one above <paramref name="limit"/> is ignored, and a wrong one only costs a copy.
    /// </param>
    /// <param name="compressedLength">The compressed size, when known, to guess a capacity from.</param>
    public DecompressionOutput(int limit, long? expectedSize, long? compressedLength)
    {
        _limit = limit;

        // One byte beyond the limit is room enough to notice that the limit is exceeded.
        int ceiling = limit + 1;
        if (expectedSize is long exact && exact <= limit)
        {
            // Pooled even when the size is known: a tree of modules then reuses a few buffers instead
            // of leaving a large array per module for the GC.
            _buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(exact, 1));
            _pooled = true;
            return;
        }

        // Modules compress about 4:1 with xz or zstd; guess 5:1 so most need no growth.
        long guess = compressedLength is long compressed ? compressed * 5 : 256 * 1024;
        _buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(guess, Math.Min(MinimumCapacity, ceiling), ceiling));
        _pooled = true;
    }

    /// <summary>The number of bytes written so far.</summary>
    public int Length => _length;

    /// <summary>Returns the free space after the written bytes, growing the buffer when there is none.</summary>
    public Span<byte> GetFreeSpan()
    {
        if (_length == _buffer.Length)
        {
            Grow();
        }

        return _buffer.AsSpan(_length);
    }

    /// <summary>Records that <paramref name="count"/> bytes were written to the span from <see cref="GetFreeSpan"/>.</summary>
    /// <exception cref="ModuleFormatException">The output now exceeds the limit (<see cref="Errno.EFBIG"/>).</exception>
    public void Advance(int count)
    {
        _length += count;
        if (_length > _limit)
        {
            ModuleFormatException.Throw(
                $"decompressed module larger than the limit of {_limit} bytes", Errno.EFBIG);
        }
    }

    /// <summary>Returns the written bytes as an array of exactly <see cref="Length"/> bytes.</summary>
    /// <summary>Hands the buffer over to the caller, who must release it.</summary>
    public DecodedImage Detach()
    {
        var image = new DecodedImage(_buffer, _length, _pooled);
        _buffer = [];
        _pooled = false;
        _length = 0;
        return image;
    }

    public void Dispose()
    {
        Release();
        _buffer = [];
    }

    private void Grow()
    {
        int ceiling = _limit + 1;
        int capacity = (int)Math.Min(Math.Max((long)_buffer.Length * 2, MinimumCapacity), ceiling);
        byte[] bigger = ArrayPool<byte>.Shared.Rent(capacity);
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        Release();
        _buffer = bigger;
        _pooled = true;
    }

    private void Release()
    {
        if (_pooled)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _pooled = false;
        }
    }
}
