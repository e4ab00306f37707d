using Microsoft.Win32.SafeHandles;
using ModKit.Files;

namespace ModKit.IO;

/// <summary>
/// A plain module file whose ranges, when asked for as memory (<see cref="GetMemory"/>), are read into chunks of
/// memory outside the GC heap (<see cref="ImageBufferCache"/>) and handed out as views until the source is
/// disposed: depmod reads a few sections of every file (the symbol tables, <c>.modinfo</c>, <c>__versions</c>)
/// without reading the whole file or allocating an array per section.
/// </summary>
internal sealed class SectionArenaByteSource : ByteSource
{
    // The smallest chunk: most modules' sections fit in one, the thread's cached buffer.
    private const int ChunkSize = 1 << 20;

    private readonly FileByteSource _file;
    private readonly List<ImageBuffer> _chunks = [];
    private readonly List<(long Offset, ReadOnlyMemory<byte> Memory)> _views = [];
    private int _used;

    /// <summary>Reads from <paramref name="handle"/>, which the source then owns.</summary>
    /// <param name="handle">The open file.</param>
    /// <param name="length">Its length.</param>
    public SectionArenaByteSource(SafeFileHandle handle, long length) => _file = new FileByteSource(handle, length);

    /// <inheritdoc/>
    public override long Length => _file.Length;

    /// <inheritdoc/>
    public override void ReadExactly(long offset, Span<byte> destination) => _file.ReadExactly(offset, destination);

    /// <inheritdoc/>
    public override ReadOnlyMemory<byte> GetMemory(long offset, long count)
    {
        CheckRange(offset, count);
        if (count == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        // A range asked for again (depmod reads the symbol tables for the exports, then for the needed symbols)
        // is the view already read.
        foreach (var (start, view) in _views)
        {
            if (start == offset && view.Length == count)
            {
                return view;
            }
        }

        int size = (int)count;
        if (_chunks.Count == 0 || _chunks[^1].Capacity - _used < size)
        {
            _chunks.Add(ImageBufferCache.Rent(Math.Max(size, ChunkSize)));
            _used = 0;
        }

        var memory = _chunks[^1].Memory.Slice(_used, size);
        _file.ReadExactly(offset, memory.Span);

        // Views start on 8-byte boundaries, as sections do in the file.
        _used = (int)Math.Min(_chunks[^1].Capacity, (_used + (long)size + 7) & ~7L);
        _views.Add((offset, memory));
        return memory;
    }

    /// <inheritdoc/>
    internal override ReadOnlyMemory<byte> ReadTable(long offset, long count) => GetMemory(offset, count);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var chunk in _chunks)
            {
                ImageBufferCache.Return(chunk);
            }

            _chunks.Clear();
            _views.Clear();
            _file.Dispose();
        }
    }
}
