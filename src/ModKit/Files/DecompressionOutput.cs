namespace ModKit.Files;

/// <summary>
/// The growing output of a decoder: a buffer that doubles when full, never beyond the size limit, and
/// is finally handed over as a <see cref="DecodedImage"/>. The buffers are <see cref="ImageBuffer"/>s
/// (see <see cref="ImageBufferCache"/>), not GC memory.
/// </summary>
internal sealed class DecompressionOutput : IDisposable
{
    private const int MinimumCapacity = 64 * 1024;

    private readonly int _limit;
    private ImageBuffer? _buffer;
    private int _length;

    /// <summary>Creates an output whose buffer is sized from a guess or from a size the input declares.</summary>
    /// <param name="limit">The largest decompressed size accepted.</param>
    /// <param name="expectedSize">
    /// The size the compressed data declares (zstd frame header, gzip trailer, xz index), or <see langword="null"/>.
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
            _buffer = ImageBufferCache.Rent((int)Math.Max(exact, 1));
            return;
        }

        // Modules compress about 4:1 with xz or zstd; guess 5:1 so most need no growth.
        long guess = compressedLength is long compressed ? compressed * 5 : 256 * 1024;
        _buffer = ImageBufferCache.Rent((int)Math.Clamp(guess, Math.Min(MinimumCapacity, ceiling), ceiling));
    }

    /// <summary>The number of bytes written so far.</summary>
    public int Length => _length;

    /// <summary>Returns the free space after the written bytes, growing the buffer when there is none.</summary>
    public Span<byte> GetFreeSpan()
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(DecompressionOutput));
        if (_length == buffer.Capacity)
        {
            buffer = Grow(buffer);
        }

        return buffer.GetSpan()[_length..];
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

    /// <summary>Hands the buffer over to the caller, who must release it.</summary>
    public DecodedImage Detach()
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(DecompressionOutput));
        var image = new DecodedImage(buffer, _length);
        _buffer = null;
        _length = 0;
        return image;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ImageBufferCache.Return(buffer);
        }
    }

    private ImageBuffer Grow(ImageBuffer buffer)
    {
        int ceiling = _limit + 1;
        int capacity = (int)Math.Min(Math.Max((long)buffer.Capacity * 2, MinimumCapacity), ceiling);
        var bigger = ImageBufferCache.Rent(capacity);
        buffer.GetSpan()[.._length].CopyTo(bigger.GetSpan());
        ImageBufferCache.Return(buffer);
        _buffer = bigger;
        return bigger;
    }
}
