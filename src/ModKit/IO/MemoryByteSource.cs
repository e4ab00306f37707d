namespace ModKit.IO;

/// <summary>A <see cref="ByteSource"/> over bytes in memory, such as a decompressed module.</summary>
public sealed class MemoryByteSource : ByteSource
{
    /// <summary>Wraps <paramref name="memory"/>.</summary>
    /// <param name="memory">The image.</param>
    public MemoryByteSource(ReadOnlyMemory<byte> memory) => Memory = memory;

    /// <summary>Wraps memory that <paramref name="release"/> gives back when the source is disposed.</summary>
    internal MemoryByteSource(ReadOnlyMemory<byte> memory, Action release)
        : this(memory) => _release = release;

    private Action? _release;

    /// <summary>The whole image.</summary>
    public ReadOnlyMemory<byte> Memory { get; }

    /// <inheritdoc/>
    public override long Length => Memory.Length;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Interlocked.Exchange(ref _release, null)?.Invoke();
        }
    }

    /// <inheritdoc/>
    public override ReadOnlyMemory<byte> GetMemory(long offset, long count)
    {
        CheckRange(offset, count);
        return Memory.Slice((int)offset, (int)count);
    }

    /// <inheritdoc/>
    public override void ReadExactly(long offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        Memory.Span.Slice((int)offset, destination.Length).CopyTo(destination);
    }
}
