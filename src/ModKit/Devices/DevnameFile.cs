using ModKit.IO;

namespace ModKit.Devices;

/// <summary>
/// <c>modules.devname</c>, which depmod writes into a kernel's module folder: the device nodes its modules
/// provide, one per line (<c>fuse fuse c10:229</c>), after <c>#</c> comment lines. This reads it the way
/// <c>kmod static-nodes</c> (<c>tools/static-nodes.c</c>) does, malformed lines included.
/// </summary>
/// <remarks>
/// Opening and reading are two steps because kmod opens the file before its output and reads it after: with
/// standard output closed, the file takes descriptor 1, and kmod 30's output <c>/dev/stdout</c> then is this
/// file, emptied (and nothing is read).
/// </remarks>
public sealed class DevnameFile : IDisposable
{
    /// <summary>The file's name in a kernel's module folder.</summary>
    public const string FileName = "modules.devname";

    /// <summary>
    /// The longest piece of a line read at once, newline included: static-nodes reads with <c>fgets</c> into a
    /// 4096-byte buffer, so a longer line is taken as several lines.
    /// </summary>
    public const int LineLength = 4096 - 1;

    private int _fd;

    private DevnameFile(int fd) => _fd = fd;

    /// <summary>Opens a <c>modules.devname</c>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="file">The open file, or <see langword="null"/>.</param>
    /// <returns>0, or <c>open</c>'s error number (<see cref="Errno.ENOENT"/> when there is none).</returns>
    public static int Open(string path, out DevnameFile? file)
    {
        int error = NativeFile.OpenForReading(path, out int fd);
        file = error == 0 ? new DevnameFile(fd) : null;
        return error;
    }

    /// <summary>
    /// Whether the file got descriptor 1: standard output was closed when it was opened, so <c>/dev/stdout</c>
    /// now names this file.
    /// </summary>
    public bool HoldsStandardOutput => _fd == 1;

    /// <summary>
    /// Reads the rest of the file and parses it. A read that fails (a folder's <see cref="Errno.EISDIR"/>) ends
    /// the file, as it ends <c>fgets</c>' loop.
    /// </summary>
    /// <returns>The lines other than comments, in order.</returns>
    public IReadOnlyList<DevnameLine> ReadLines()
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        return Parse(NativeFile.ReadUntilError(_fd));
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        if (_fd >= 0)
        {
            NativeFile.Close(_fd);
            _fd = -1;
        }
    }

    /// <summary>Splits the contents of a <c>modules.devname</c> into lines and parses each one.</summary>
    /// <param name="contents">The file's bytes.</param>
    /// <returns>The lines other than comments (those starting with <c>#</c>), in order.</returns>
    public static IReadOnlyList<DevnameLine> Parse(ReadOnlySpan<byte> contents)
    {
        var lines = new List<DevnameLine>();
        while (!contents.IsEmpty)
        {
            // One fgets: through the newline, or as much as the buffer holds.
            int newline = contents[..Math.Min(contents.Length, LineLength)].IndexOf((byte)'\n');
            int length = newline >= 0 ? newline + 1 : Math.Min(contents.Length, LineLength);
            var piece = contents[..length];
            contents = contents[length..];

            int nul = piece.IndexOf((byte)0);
            var text = nul >= 0 ? piece[..nul] : piece;
            if (text.StartsWith("#"u8))
            {
                continue;
            }

            lines.Add(new DevnameLine(text.ToArray(), DevnameScanner.TryScan(text, out var node) ? node : null));
        }

        return lines;
    }
}
