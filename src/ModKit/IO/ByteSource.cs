namespace ModKit.IO;

/// <summary>
/// Random-access bytes of a module image: a file read with <c>pread</c>, or memory holding a
/// decompressed module. The ELF reader asks only for the ranges it needs, so a plain module file is
/// never read whole.
/// </summary>
public abstract class ByteSource : IDisposable
{
    /// <summary>The number of bytes in the source.</summary>
    public abstract long Length { get; }

    /// <summary>Fills <paramref name="destination"/> with the bytes at <paramref name="offset"/>.</summary>
    /// <param name="offset">Where to start reading.</param>
    /// <param name="destination">Where to put the bytes; its length is how many are read.</param>
    /// <exception cref="ModuleFormatException">The range lies outside the source.</exception>
    public abstract void ReadExactly(long offset, Span<byte> destination);

    /// <summary>Reads <paramref name="count"/> bytes at <paramref name="offset"/> into a new array.</summary>
    /// <param name="offset">Where to start reading.</param>
    /// <param name="count">How many bytes to read.</param>
    /// <exception cref="ModuleFormatException">The range lies outside the source.</exception>
    public byte[] Read(long offset, long count)
    {
        CheckRange(offset, count);
        var buffer = GC.AllocateUninitializedArray<byte>((int)count);
        ReadExactly(offset, buffer);
        return buffer;
    }

    /// <summary>
    /// The bytes at <paramref name="offset"/>: a view when the source is in memory (valid until it is disposed),
    /// otherwise a copy, as <see cref="Read"/> makes.
    /// </summary>
    /// <param name="offset">Where the range starts.</param>
    /// <param name="count">How many bytes.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ModuleFormatException">The range is outside the source.</exception>
    public virtual ReadOnlyMemory<byte> GetMemory(long offset, long count) => Read(offset, count);

    /// <summary>
    /// The bytes of a table the ELF reader keeps for as long as it is used (the section headers and their names): a
    /// copy, so that the reader outlives the source, except where the source's owner has asked for views of every range
    /// it reads (<see cref="SectionArenaByteSource"/>, depmod's, which disposes of both together).
    /// </summary>
    internal virtual ReadOnlyMemory<byte> ReadTable(long offset, long count) => Read(offset, count);

    /// <summary>Throws unless <c>[offset, offset + count)</c> lies inside the source.</summary>
    /// <param name="offset">Start of the range.</param>
    /// <param name="count">Length of the range.</param>
    /// <exception cref="ModuleFormatException">The range lies outside the source or is too large for one buffer.</exception>
    protected void CheckRange(long offset, long count)
    {
        if (offset < 0 || count < 0 || offset > Length || count > Length - offset || count > Array.MaxLength)
        {
            ModuleFormatException.Throw($"range {offset}+{count} is outside the {Length}-byte image");
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the source's resources.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }
}
