using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using ModKit.IO;

namespace ModKit.Index;

/// <summary>
/// A read-only view of one of kmod's binary index files (<c>modules.dep.bin</c>, <c>modules.alias.bin</c>,
/// <c>modules.symbols.bin</c>, <c>modules.builtin.bin</c>, <c>modules.builtin.alias.bin</c>): a radix trie
/// from ASCII keys to prioritised string values (docs/index-format.md; kmod <c>libkmod/libkmod-index.c</c>).
/// </summary>
/// <remarks>
/// <para>
/// Nodes are decoded only when a lookup reaches them. Files smaller than <see cref="WholeFileThreshold"/>
/// bytes are read whole at open; larger ones are mapped read-only, as kmod's <c>index_mm_open</c> does (read
/// whole if the file system cannot map them), so a lookup touches only the page-cache pages of the nodes it
/// visits. Measured on Debian's modules.alias.bin (1.2 MiB), one alias in a fresh process: 44 fewer page
/// faults than through 16 KiB <c>pread</c> pages (176 KiB of fresh arrays), 14 fewer than 4 KiB pages.
/// The file is opened, mapped and closed with plain system calls (<see cref="NativeFile"/>).
/// Instances are safe for concurrent lookups.
/// </para>
/// <para>
/// Opening validates only the header, as kmod does. Every node is validated when it is read: offsets within
/// the file, child ranges within 0..127, strings terminated inside the file, value counts that fit, and no
/// node reached twice in one traversal, so that pointer loops or shared subtrees in a hostile file end in a
/// <see cref="ModuleFormatException"/> instead of a hang; no recursion, so no stack overflow either. kmod
/// itself checks none of these.
/// </para>
/// </remarks>
public sealed partial class IndexFile : IDisposable
{
    /// <summary>Files smaller than this (one page) are read into memory at open; larger ones are mapped.</summary>
    public const int WholeFileThreshold = 4096;

    private readonly IndexSource _source;
    private readonly uint _rootPointer;
    private readonly Lock _gate = new();
    private bool _disposed;

    private IndexFile(IndexSource source)
    {
        _source = source;
        if (source.Length < IndexFormat.HeaderSize)
            ModuleFormatException.Throw($"index file is too short ({source.Length} bytes) to hold a header");
        var header = source.Window(0, IndexFormat.HeaderSize);
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(header[IndexFormat.MagicOffset..]);
        if (magic != IndexFormat.Magic)
            ModuleFormatException.Throw($"index magic check failed: {magic:x} instead of {IndexFormat.Magic:x}");
        uint version = BinaryPrimitives.ReadUInt32BigEndian(header[IndexFormat.VersionOffset..]);
        if (version >> 16 != IndexFormat.MajorVersion)
            ModuleFormatException.Throw($"index major version check failed: {version >> 16} instead of {IndexFormat.MajorVersion}");
        _rootPointer = BinaryPrimitives.ReadUInt32BigEndian(header[IndexFormat.RootOffset..]);
    }

    /// <summary>The size of the index file in bytes.</summary>
    public long Length => _source.Length;

    /// <summary>Opens an index file and validates its header.</summary>
    /// <param name="path">Path of the <c>.bin</c> file.</param>
    /// <returns>The open index; dispose it to close the file.</returns>
    /// <exception cref="ModuleFormatException">The file is shorter than the 12-byte header, or its magic or major version is wrong (<see cref="Errno.EINVAL"/>).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="IOException">Reading the file failed, or it is a directory (the error number is the <see cref="Exception.HResult"/>).</exception>
    public static IndexFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        int error = OpenSource(path, out var source);
        switch (error)
        {
            case 0:
                break;
            case Errno.ENOENT:
                throw new FileNotFoundException(Errno.Describe(error), path);
            case Errno.EACCES:
                throw new UnauthorizedAccessException(Errno.Describe(error));
            default:
                throw new IOException(Errno.Describe(error), error);
        }

        try
        {
            return new IndexFile(source!);
        }
        catch
        {
            source!.Dispose();
            throw;
        }
    }

    // kmod's index_mm_open maps the whole file; small files are read (one page either way, one system call less).
    private static int OpenSource(string path, out IndexSource? source)
    {
        source = null;
        int error = NativeFile.MapOrRead(path, WholeFileThreshold, out nint address, out long length, out byte[]? contents);
        if (error == 0)
        {
            source = contents is null ? new MappedIndexSource(address, length) : new MemoryIndexSource(contents);
        }

        return error;
    }

    /// <summary>
    /// Opens an index file the way kmod's lookups do: a missing, unreadable, too short or foreign file is not
    /// an error but an absent index, which kmod treats as "no match".
    /// </summary>
    /// <param name="path">Path of the <c>.bin</c> file.</param>
    /// <param name="index">The open index, or null.</param>
    /// <param name="error">0, or the error number kmod's <c>index_mm_open</c> reports: <see cref="Errno.ENOENT"/>,
    /// <see cref="Errno.EACCES"/>, <see cref="Errno.EISDIR"/>, <see cref="Errno.EINVAL"/> (short file, bad magic or
    /// version) or <see cref="Errno.EIO"/>.</param>
    /// <returns>Whether the index was opened.</returns>
    public static bool TryOpen(string path, [NotNullWhen(true)] out IndexFile? index, out int error)
    {
        ArgumentNullException.ThrowIfNull(path);
        index = null;
        error = OpenSource(path, out var source);
        if (error != 0)
        {
            return false;
        }

        try
        {
            index = new IndexFile(source!);
            return true;
        }
        catch (ModuleFormatException e)
        {
            source!.Dispose();
            error = e.ErrorNumber;
            return false;
        }
    }

    /// <summary>Opens an index file like <see cref="TryOpen(string, out IndexFile?, out int)"/>, without the error number.</summary>
    /// <param name="path">Path of the <c>.bin</c> file.</param>
    /// <param name="index">The open index, or null.</param>
    /// <returns>Whether the index was opened.</returns>
    public static bool TryOpen(string path, [NotNullWhen(true)] out IndexFile? index) => TryOpen(path, out index, out _);

    /// <summary>Views index bytes already in memory, e.g. an index just written.</summary>
    /// <param name="contents">The whole file; it must not change while the index is in use.</param>
    /// <returns>The index.</returns>
    /// <exception cref="ModuleFormatException">The header is too short, or its magic or major version is wrong.</exception>
    public static IndexFile FromBytes(ReadOnlyMemory<byte> contents) => new(new MemoryIndexSource(contents));

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _source.Dispose();
        }
    }

    /// <summary>Reads the node a pointer designates, or null for a pointer to offset 0 ("no node").</summary>
    private IndexNode? ReadNode(uint pointer)
    {
        uint offset = pointer & IndexFormat.OffsetMask;
        if (offset == 0)
            return null;

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return IndexNode.Decode(_source, pointer, offset);
        }
    }

    /// <summary>A node's values in file order, read when a lookup needs them.</summary>
    private RawValue[] ReadValues(IndexNode node)
    {
        if (node.ValueCount == 0)
            return [];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return node.DecodeValues();
        }
    }

    /// <summary>
    /// Reads a non-null child during a traversal of a subtree. depmod writes a tree: every node lies at its
    /// own offset, so a traversal never meets more nodes than the file has bytes. More means a loop or shared
    /// subtrees in a hostile file, which would otherwise make the traversal endless or exponential; counting
    /// costs nothing per node, where remembering every pointer cost a set per lookup.
    /// </summary>
    private IndexNode ReadTreeChild(uint pointer, ref long budget)
    {
        CountTreeNode(pointer, ref budget);
        return ReadNode(pointer)!;
    }

    /// <summary><see cref="ReadTreeChild"/> as a layout, for a caller that holds the gate.</summary>
    private IndexNode.Layout ReadTreeChildLayout(uint pointer, ref long budget)
    {
        CountTreeNode(pointer, ref budget);
        return IndexNode.ReadLayout(_source, pointer, pointer & IndexFormat.OffsetMask);
    }

    private static void CountTreeNode(uint pointer, ref long budget)
    {
        if (--budget < 0)
            ModuleFormatException.Throw($"index node at offset {pointer & IndexFormat.OffsetMask} is one node more than the file can hold: the nodes do not form a tree");
    }

    /// <summary>How many nodes a traversal may read: one per byte of the file.</summary>
    private long TraversalBudget => _source.Length;

    /// <summary>A key as kmod sees it: UTF-8 bytes up to the first NUL.</summary>
    private static byte[] KeyBytes(string key)
    {
        var text = KeyText(key);
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(text)];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    /// <summary>The part of a key kmod looks up: up to the first NUL (its keys are C strings).</summary>
    private static ReadOnlySpan<char> KeyText(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int nul = key.IndexOf('\0');
        return nul < 0 ? key : key.AsSpan(0, nul);
    }

    private static string Decode(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
