namespace ModKit.Index;

/// <summary>The bytes of a whole index file: read into memory, or mapped.</summary>
internal abstract class IndexSource : IDisposable
{
    /// <summary>The file size in bytes.</summary>
    public abstract long Length { get; }

    /// <summary>
    /// The one bounds-checked read every offset goes through: up to <paramref name="maxLength"/> bytes at
    /// <paramref name="offset"/>, fewer only where the file ends. The span stays valid until the source is disposed.
    /// </summary>
    /// <exception cref="ModuleFormatException"><paramref name="offset"/> lies beyond the end of the file.</exception>
    public ReadOnlySpan<byte> Window(long offset, int maxLength)
    {
        if (offset < 0 || offset > Length)
            ModuleFormatException.Throw($"index offset {offset} is beyond the end of the file ({Length} bytes)");
        int length = (int)Math.Min(maxLength, Length - offset);
        return ReadCore(offset, length);
    }

    /// <summary>Returns exactly <paramref name="length"/> bytes at <paramref name="offset"/> (already bounds-checked).</summary>
    protected abstract ReadOnlySpan<byte> ReadCore(long offset, int length);

    /// <inheritdoc/>
    public virtual void Dispose()
    {
    }
}
