namespace ModKit.IO;

/// <summary>
/// A file a tool writes its output into, created or emptied as C's <c>fopen(path, "w")</c> does
/// (mode 0666 less the umask). Writes go straight to the descriptor; the caller buffers.
/// </summary>
public sealed class OutputFile : IDisposable
{
    private int _fd;

    private OutputFile(int fd) => _fd = fd;

    /// <summary>Creates <paramref name="path"/>, or truncates the file there.</summary>
    /// <param name="path">The file, absolute or relative to the process's working directory.</param>
    /// <param name="file">The open file, or <see langword="null"/> on failure.</param>
    /// <returns>0, or <c>open</c>'s error number (<see cref="Errno.EISDIR"/> for a directory, <see cref="Errno.ENOENT"/> for a missing folder...).</returns>
    public static int Create(string path, out OutputFile? file)
    {
        int error = NativeFile.Create(path, out int fd);
        file = error == 0 ? new OutputFile(fd) : null;
        return error;
    }

    /// <summary>Whether the file is a terminal (as <c>/dev/stdout</c> may be): C's stdio then buffers it by line.</summary>
    public bool IsTerminal => _fd >= 0 && NativeFile.IsTerminal(_fd);

    /// <summary>Writes all of <paramref name="bytes"/>.</summary>
    /// <param name="bytes">What to write.</param>
    /// <returns>0, or the error number of the failed write (<see cref="Errno.ENOSPC"/>...).</returns>
    public int Write(ReadOnlySpan<byte> bytes)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        return NativeFile.Write(_fd, bytes);
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
}
