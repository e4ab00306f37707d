namespace ModKit.IO;

/// <summary>A <see cref="ByteSource"/> over bytes in memory, such as a decompressed module.</summary>
public sealed class MemoryByteSource : ByteSource
{
    /// <summary>Wraps <paramref name="memory"/>.</summary>
    /// <param name="memory">The image.</param>
    public MemoryByteSource(ReadOnlyMemory<byte> memory) => Memory = memory;

    /// <summary>The whole image.</summary>
    public ReadOnlyMemory<byte> Memory { get; }

    /// <inheritdoc/>
    public override long Length => Memory.Length;

    /// <inheritdoc/>
    public override void ReadExactly(long offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        Memory.Span.Slice((int)offset, destination.Length).CopyTo(destination);
    }
}
