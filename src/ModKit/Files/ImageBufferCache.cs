namespace ModKit.Files;

/// <summary>
/// Keeps one <see cref="ImageBuffer"/> per thread for the next image: most modules fit in a few hundred
/// KiB, so reading a tree maps and faults in a buffer once per thread instead of once per module. A buffer
/// larger than <see cref="RetainedCapacity"/> (the few large drivers) is unmapped as soon as it is given
/// back, so a whole-tree run holds at most the images in flight and one small buffer per thread.
/// </summary>
internal static class ImageBufferCache
{
    /// <summary>The largest buffer a thread keeps after use.</summary>
    public const int RetainedCapacity = 4 << 20;

    [ThreadStatic]
    private static ImageBuffer? t_cached;

    /// <summary>Takes this thread's buffer if it holds <paramref name="capacity"/> bytes, or maps a new one.</summary>
    public static ImageBuffer Rent(int capacity)
    {
        var cached = t_cached;
        if (cached is not null && cached.Capacity >= capacity)
        {
            t_cached = null;
            return cached;
        }

        return ImageBuffer.Allocate(capacity);
    }

    /// <summary>Gives a buffer back: kept for this thread's next image when small enough and larger than the one kept, otherwise unmapped.</summary>
    public static void Return(ImageBuffer buffer)
    {
        var cached = t_cached;
        if (buffer.Capacity <= RetainedCapacity && (cached is null || cached.Capacity < buffer.Capacity))
        {
            t_cached = buffer;
            (cached as IDisposable)?.Dispose();
            return;
        }

        (buffer as IDisposable).Dispose();
    }
}
