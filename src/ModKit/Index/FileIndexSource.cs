using Microsoft.Win32.SafeHandles;

namespace ModKit.Index;

/// <summary>
/// An index read on demand with <see cref="RandomAccess"/> (pread) through a small page cache: lookups
/// touch few, mostly neighbouring nodes (a subtree is contiguous in both layouts), so a handful of pages
/// serves them. Memory stays bounded by <see cref="PageSize"/> × <see cref="MaxPages"/> plus the largest node.
/// Not thread-safe by itself.
/// </summary>
internal sealed class FileIndexSource(SafeFileHandle handle, long length) : IndexSource
{
    /// <summary>Bytes read per pread.</summary>
    public const int PageSize = 16 * 1024;

    /// <summary>Pages kept; the least recently used one is replaced.</summary>
    public const int MaxPages = 64;

    private readonly long[] _pageNumbers = new long[MaxPages];
    private readonly byte[]?[] _pages = new byte[MaxPages][];
    private readonly int[] _pageLengths = new int[MaxPages];
    private readonly long[] _lastUse = new long[MaxPages];
    private long _clock;
    private byte[] _buffer = [];

    public override long Length => length;

    protected override ReadOnlySpan<byte> ReadCore(long offset, int count)
    {
        long firstPage = offset / PageSize;
        int inPage = (int)(offset % PageSize);
        if (inPage + count <= PageSize)
            return Page(firstPage).Slice(inPage, count);

        // The bytes span pages: gather them (a large node, or one crossing a page boundary).
        if (_buffer.Length < count)
            _buffer = new byte[Math.Max(count, PageSize * 2)];
        int copied = 0;
        for (long page = firstPage; copied < count; page++)
        {
            var bytes = Page(page)[(copied == 0 ? inPage : 0)..];
            int take = Math.Min(bytes.Length, count - copied);
            bytes[..take].CopyTo(_buffer.AsSpan(copied));
            copied += take;
        }

        return _buffer.AsSpan(0, count);
    }

    private ReadOnlySpan<byte> Page(long number)
    {
        _clock++;
        int victim = 0;
        for (int slot = 0; slot < MaxPages; slot++)
        {
            if (_pages[slot] is not null && _pageNumbers[slot] == number)
            {
                _lastUse[slot] = _clock;
                return _pages[slot].AsSpan(0, _pageLengths[slot]);
            }

            if (_lastUse[slot] < _lastUse[victim])
                victim = slot;
        }

        var page = _pages[victim] ??= new byte[PageSize];
        long start = number * PageSize;
        int wanted = (int)Math.Min(PageSize, length - start);
        int total = 0;
        while (total < wanted)
        {
            int read = RandomAccess.Read(handle, page.AsSpan(total, wanted - total), start + total);
            if (read == 0)
            {
                _pages[victim] = null;
                _lastUse[victim] = 0;
                ModuleFormatException.Throw("index file shrank while being read", Errno.EIO);
            }

            total += read;
        }

        _pageNumbers[victim] = number;
        _pageLengths[victim] = wanted;
        _lastUse[victim] = _clock;
        return page.AsSpan(0, wanted);
    }

    public override void Dispose() => handle.Dispose();
}
