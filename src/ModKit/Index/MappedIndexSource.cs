using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace ModKit.Index;

/// <summary>
/// An index file mapped read-only into memory (kmod's <c>index_mm_open</c>): a lookup reads the nodes it
/// visits straight from the page cache, without copying them or allocating buffers. The mapping outlives
/// the file handle; depmod replaces index files by renaming new ones over them, so a mapped file does not
/// change under a reader.
/// </summary>
internal sealed unsafe class MappedIndexSource : IndexSource
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _start;
    private readonly long _length;

    private MappedIndexSource(MemoryMappedFile file, MemoryMappedViewAccessor view, long length)
    {
        _file = file;
        _view = view;
        _length = length;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _start = pointer + view.PointerOffset;
    }

    public override long Length => _length;

    /// <summary>Maps the first <paramref name="length"/> bytes of the file, or returns null where the file system cannot map it.</summary>
    public static MappedIndexSource? TryMap(SafeFileHandle handle, long length)
    {
        MemoryMappedFile? file = null;
        try
        {
            file = MemoryMappedFile.CreateFromFile(handle, null, length, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
            var view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            return new MappedIndexSource(file, view, length);
        }
        catch (IOException)
        {
            file?.Dispose();
            return null;
        }
    }

    protected override ReadOnlySpan<byte> ReadCore(long offset, int length) => new(_start + offset, length);

    public override void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
