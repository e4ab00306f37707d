namespace ModKit.Files;

/// <summary>
/// A decompressed module: the first <see cref="Length"/> bytes of an <see cref="ImageBuffer"/>. Whoever
/// holds it releases it once; its memory is invalid after that.
/// </summary>
internal readonly struct DecodedImage(ImageBuffer buffer, int length)
{
    /// <summary>The number of decompressed bytes.</summary>
    public int Length { get; } = length;

    /// <summary>The decompressed bytes, valid until <see cref="Release"/>.</summary>
    public ReadOnlyMemory<byte> Memory => buffer.Memory[..Length];

    /// <summary>Copies the image into an array of its exact size and releases the buffer.</summary>
    public byte[] ToExactArray()
    {
        byte[] exact = GC.AllocateUninitializedArray<byte>(Length);
        buffer.GetSpan()[..Length].CopyTo(exact);
        Release();
        return exact;
    }

    /// <summary>Gives the buffer back for the thread's next image (<see cref="ImageBufferCache"/>).</summary>
    public void Release() => ImageBufferCache.Return(buffer);
}
