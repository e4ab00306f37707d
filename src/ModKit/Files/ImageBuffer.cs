using System.Buffers;
using ModKit.Interop;

namespace ModKit.Files;

/// <summary>
/// Memory for one module image (decompressed, or a plain file read whole), mapped anonymously from the
/// kernel rather than taken from the GC heap: unmapping it gives the pages back to the system at once,
/// where a large managed array would stay committed until a full collection (and a pooled one for good).
/// Reading a whole tree therefore holds only the images in flight, plus the one buffer each thread keeps
/// for reuse (<see cref="ImageBufferCache"/>).
/// </summary>
internal sealed unsafe class ImageBuffer : MemoryManager<byte>
{
    private nint _address;

    private ImageBuffer(nint address, int capacity)
    {
        _address = address;
        Capacity = capacity;
    }

    /// <summary>The usable size in bytes (the request rounded up to whole pages).</summary>
    public int Capacity { get; }

    /// <summary>Maps at least <paramref name="capacity"/> bytes.</summary>
    /// <exception cref="ModuleFormatException">The system has no memory for it (<see cref="Errno.ENOMEM"/>).</exception>
    public static ImageBuffer Allocate(int capacity)
    {
        const long Page = 4096;
        long rounded = Math.Max(Page, (capacity + Page - 1) / Page * Page);
        int size = (int)Math.Min(rounded, int.MaxValue);
        nint address = Libc.Mmap(0, (nuint)size, Libc.ProtectRead | Libc.ProtectWrite, Libc.MapPrivate | Libc.MapAnonymous, -1, 0);
        if (address == -1)
        {
            ModuleFormatException.Throw($"cannot allocate {size} bytes for a module image", Errno.ENOMEM);
        }

        return new ImageBuffer(address, size);
    }

    /// <inheritdoc/>
    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(_address == 0, this);
        return new Span<byte>((void*)_address, Capacity);
    }

    /// <inheritdoc/>
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ObjectDisposedException.ThrowIf(_address == 0, this);
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, Capacity);
        return new MemoryHandle((byte*)_address + elementIndex);
    }

    /// <inheritdoc/>
    public override void Unpin()
    {
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        nint address = Interlocked.Exchange(ref _address, 0);
        if (address != 0)
        {
            Libc.Munmap(address, (nuint)Capacity);
        }
    }
}
