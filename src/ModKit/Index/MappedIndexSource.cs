using ModKit.IO;

namespace ModKit.Index;

/// <summary>
/// An index file mapped read-only into memory (kmod's <c>index_mm_open</c>): a lookup reads the nodes it
/// visits straight from the page cache, without copying them or allocating buffers. The mapping outlives
/// the file descriptor; depmod replaces index files by renaming new ones over them, so a mapped file does
/// not change under a reader.
/// </summary>
internal sealed unsafe class MappedIndexSource(nint address, long length) : IndexSource
{
    private nint _address = address;

    public override long Length => length;

    protected override ReadOnlySpan<byte> ReadCore(long offset, int count) => new((byte*)_address + offset, count);

    public override void Dispose()
    {
        if (_address != 0)
        {
            NativeFile.Unmap(_address, length);
            _address = 0;
        }
    }
}
