using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ModKit.Index;

/// <summary>
/// A read-only view of one of kmod's binary index files (<c>modules.dep.bin</c>, <c>modules.alias.bin</c>,
/// <c>modules.symbols.bin</c>, <c>modules.builtin.bin</c>, <c>modules.builtin.alias.bin</c>): a radix trie
/// from ASCII keys to prioritised string values (docs/index-format.md; kmod <c>libkmod/libkmod-index.c</c>).
/// </summary>
/// <remarks>
/// <para>
/// Nodes are read lazily and decoded only when a lookup reaches them. Files of at most
/// <see cref="WholeFileThreshold"/> bytes are read whole at open; larger ones with <c>pread</c> through a
/// small page cache (at most 1 MiB), so memory stays bounded whatever the file size. Measured on Debian's
/// modules.alias.bin (1.2 MiB): opening and resolving one alias costs about a third of what reading the
/// whole file does, and thousands of lookups run as fast as from memory. Instances are safe for
/// concurrent lookups.
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
    /// <summary>Files up to this size are read into memory at open; larger ones are read node by node.</summary>
    public const int WholeFileThreshold = 64 * 1024;

    /// <summary>First read size for a node of a file read node by node: holds almost every real node.</summary>
    private const int InitialNodeWindow = 1024;

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
    /// <exception cref="UnauthorizedAccessException">The file may not be read, or is a directory.</exception>
    /// <exception cref="IOException">Reading the file failed.</exception>
    public static IndexFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            long length = RandomAccess.GetLength(handle);
            if (length <= WholeFileThreshold)
            {
                var contents = new byte[length];
                int total = 0;
                while (total < contents.Length)
                {
                    int read = RandomAccess.Read(handle, contents.AsSpan(total), total);
                    if (read == 0)
                        break;
                    total += read;
                }

                handle.Dispose();
                return new IndexFile(new MemoryIndexSource(contents.AsMemory(0, total)));
            }

            return new IndexFile(new FileIndexSource(handle, length));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
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
        try
        {
            index = Open(path);
            error = 0;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A ModuleFormatException (an IOException) carries its own number; .NET refuses to open a
            // directory where open(2) succeeds and the first read fails with EISDIR.
            error = e is UnauthorizedAccessException && Directory.Exists(path) ? Errno.EISDIR : Errno.FromException(e);
        }

        return false;
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
            long bytesToEnd = _source.Length - offset;
            int window = _source is MemoryIndexSource ? int.MaxValue : InitialNodeWindow;
            while (true)
            {
                var bytes = _source.Window(offset, window);
                bool reachesEnd = bytes.Length >= bytesToEnd || bytes.Length >= Array.MaxLength / 2;
                if (IndexNode.TryDecode(pointer, offset, bytes, reachesEnd, bytesToEnd, out var node))
                    return node;
                window = (int)Math.Min((long)window * 2, Array.MaxLength / 2);
            }
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
            long bytesToEnd = _source.Length - node.ValuesOffset;
            int window = _source is MemoryIndexSource ? int.MaxValue : InitialNodeWindow;
            while (true)
            {
                var bytes = _source.Window(node.ValuesOffset, window);
                bool reachesEnd = bytes.Length >= bytesToEnd || bytes.Length >= Array.MaxLength / 2;
                if (node.TryDecodeValues(bytes, reachesEnd, out var values))
                    return values;
                window = (int)Math.Min((long)window * 2, Array.MaxLength / 2);
            }
        }
    }

    /// <summary>
    /// Reads a non-null child during a traversal of a subtree. depmod writes a tree: no node is reached
    /// twice, so a pointer met again in the same traversal means a loop or shared subtrees in a hostile
    /// file, which would otherwise make the traversal endless or exponential.
    /// </summary>
    private IndexNode ReadTreeChild(uint pointer, HashSet<uint> visited)
    {
        if (!visited.Add(pointer))
            ModuleFormatException.Throw($"index node at offset {pointer & IndexFormat.OffsetMask} is reached twice: the nodes do not form a tree");
        return ReadNode(pointer)!;
    }

    /// <summary>A key as kmod sees it: UTF-8 bytes up to the first NUL.</summary>
    private static byte[] KeyBytes(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int nul = key.IndexOf('\0');
        return Encoding.UTF8.GetBytes(nul < 0 ? key : key[..nul]);
    }

    private static string Decode(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
