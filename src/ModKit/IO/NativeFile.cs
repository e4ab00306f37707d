using System.Runtime.InteropServices;
using System.Text;
using ModKit.Interop;

namespace ModKit.IO;

/// <summary>
/// Whole-file reads, read-only mappings and directory listings with plain system calls (<c>open</c>,
/// <c>read</c>, <c>mmap</c>, <c>getdents64</c>), for the short files a modprobe run reads (modprobe.d,
/// <c>/proc/cmdline</c>, sysfs attributes, the indexes). .NET's file APIs take advisory locks, query the
/// file twice and run a good deal of code the first time; in a process that lives a few milliseconds that
/// start-up is most of the cost. Failures are error numbers, as kmod sees them, never exceptions.
/// </summary>
internal static unsafe class NativeFile
{
    private const int StackPathLength = 512;
    private const int ReadChunk = 4096;

    // stx_mode's file type: S_IFMT, S_IFDIR, S_IFREG.
    private const int TypeMask = 0xF000, DirectoryType = 0x4000, RegularType = 0x8000;

    /// <summary>The most <see cref="ReadAll"/> reads unless told otherwise: 1 GiB, the cap on a decompressed module too.</summary>
    public const int DefaultMaxLength = 1 << 30;

    /// <summary>Reads a whole file (regular, or a <c>/proc</c> or sysfs file whose size is not known up front).</summary>
    /// <param name="path">The file.</param>
    /// <param name="contents">The bytes read; empty on failure.</param>
    /// <param name="maxLength">The most that is read: a longer file (or an endless one, such as <c>/dev/zero</c>)
    /// fails with <see cref="Errno.EFBIG"/> once that much has been read.</param>
    /// <returns>0, or the error number of <c>open</c> or <c>read</c> (<see cref="Errno.EISDIR"/> for a directory).</returns>
    public static int ReadAll(string path, out byte[] contents, int maxLength = DefaultMaxLength)
    {
        contents = [];
        int error = Open(path, 0, out int fd);
        if (error != 0)
        {
            return error;
        }

        try
        {
            return ReadFrom(fd, maxLength, out contents);
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    /// <summary>Reads a whole file as UTF-8 text.</summary>
    /// <param name="path">The file.</param>
    /// <param name="text">The text; empty on failure.</param>
    /// <returns>0, or the error number.</returns>
    public static int ReadAllText(string path, out string text)
    {
        int error = ReadAll(path, out byte[] contents);
        text = error == 0 ? Encoding.UTF8.GetString(contents) : string.Empty;
        return error;
    }

    /// <summary>
    /// Maps a regular file of at least <paramref name="mapThreshold"/> bytes read-only (<c>MAP_PRIVATE</c>, as
    /// kmod maps its indexes); reads a smaller one, or one the file system cannot map, into an array. The
    /// descriptor is closed before returning; a mapping stays until <see cref="Unmap"/>. (Populating the
    /// mapping up front, <c>MAP_POPULATE</c>, saves a lookup's 7 page faults but enters all 2.7 MB of
    /// Debian's indexes and removes them again at exit: no faster in 12 paired rounds, so not done.)
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="mapThreshold">The smallest file that is mapped.</param>
    /// <param name="address">The mapping, or 0 when the file was read.</param>
    /// <param name="length">The mapping's length.</param>
    /// <param name="contents">The bytes read when the file was not mapped, otherwise null.</param>
    /// <returns>0, or the error number (<see cref="Errno.EISDIR"/> for a directory).</returns>
    public static int MapOrRead(string path, long mapThreshold, out nint address, out long length, out byte[]? contents)
    {
        address = 0;
        length = 0;
        contents = null;
        int error = Open(path, 0, out int fd);
        if (error != 0)
        {
            return error;
        }

        try
        {
            byte* status = stackalloc byte[Libc.StatxLength];
            byte empty = 0;
            if (Libc.Statx(fd, &empty, Libc.AtEmptyPath, Libc.StatxTypeAndSize, status) != 0)
            {
                return Marshal.GetLastPInvokeError();
            }

            int type = *(ushort*)(status + Libc.StatxModeOffset) & TypeMask;
            if (type == DirectoryType)
            {
                return Errno.EISDIR;
            }

            long size = *(long*)(status + Libc.StatxSizeOffset);
            if (type == RegularType && size >= mapThreshold && size > 0)
            {
                nint mapped = Libc.Mmap(0, (nuint)size, Libc.ProtectRead, Libc.MapPrivate, fd, 0);
                if (mapped != -1)
                {
                    address = mapped;
                    length = size;
                    return 0;
                }
            }

            error = ReadFrom(fd, DefaultMaxLength, out byte[] bytes);
            contents = bytes;
            length = bytes.Length;
            return error;
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    /// <summary>Whether anything exists at a path, following symbolic links (<c>stat(2)</c>).</summary>
    /// <param name="path">The path.</param>
    /// <returns>0, or <c>stat</c>'s error number (<see cref="Errno.ENOENT"/>, <see cref="Errno.ENOTDIR"/>, <see cref="Errno.EACCES"/>...).</returns>
    public static int Stat(string path)
    {
        Span<byte> buffer = stackalloc byte[StackPathLength];
        if (!ToCString(path, buffer, out var bytes))
        {
            return Errno.ENOENT;
        }

        byte* status = stackalloc byte[Libc.StatxLength];
        fixed (byte* p = bytes)
        {
            return Libc.Statx(Libc.AtCurrentDirectory, p, 0, Libc.StatxTypeAndSize, status) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>Opens a file for reading (<c>O_RDONLY | O_CLOEXEC</c>), on the lowest free descriptor as <c>open(2)</c> gives it.</summary>
    /// <param name="path">The file.</param>
    /// <param name="fd">The descriptor, or -1.</param>
    /// <returns>0, or <c>open</c>'s error number.</returns>
    public static int OpenForReading(string path, out int fd) => Open(path, 0, out fd);

    /// <summary>
    /// Reads an open file to its end as C's stdio does for a loop of <c>fgets</c>: a read that fails (a
    /// directory's <c>EISDIR</c>, an I/O error) only ends the file.
    /// </summary>
    /// <param name="fd">The descriptor.</param>
    /// <returns>The bytes read before the end or the failed read.</returns>
    public static byte[] ReadUntilError(int fd)
    {
        var collected = new MemoryStream();
        byte* chunk = stackalloc byte[ReadChunk];
        while (true)
        {
            nint n = Libc.Read(fd, chunk, ReadChunk);
            if (n < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
            {
                continue;
            }

            if (n <= 0)
            {
                return collected.ToArray();
            }

            collected.Write(new ReadOnlySpan<byte>(chunk, (int)n));
        }
    }

    /// <summary>Whether a path names a directory, following symbolic links (<c>stat(2)</c> and <c>S_ISDIR</c>).</summary>
    /// <param name="path">The path.</param>
    /// <param name="isDirectory">Whether it is a directory; false when <c>stat</c> fails.</param>
    /// <returns>0, or <c>stat</c>'s error number.</returns>
    public static int IsDirectory(string path, out bool isDirectory)
    {
        isDirectory = false;
        Span<byte> buffer = stackalloc byte[StackPathLength];
        if (!ToCString(path, buffer, out var bytes))
        {
            return Errno.ENOENT;
        }

        byte* status = stackalloc byte[Libc.StatxLength];
        fixed (byte* p = bytes)
        {
            if (Libc.Statx(Libc.AtCurrentDirectory, p, 0, Libc.StatxTypeAndSize, status) != 0)
            {
                return Marshal.GetLastPInvokeError();
            }
        }

        isDirectory = (*(ushort*)(status + Libc.StatxModeOffset) & TypeMask) == DirectoryType;
        return 0;
    }

    /// <summary>Makes a directory (<c>mkdir(2)</c>; the process's umask applies to <paramref name="mode"/>).</summary>
    /// <param name="path">The directory.</param>
    /// <param name="mode">Its permission bits.</param>
    /// <returns>0, or <c>mkdir</c>'s error number (<see cref="Errno.EEXIST"/> when something is there).</returns>
    public static int MakeDirectory(string path, int mode)
    {
        Span<byte> buffer = stackalloc byte[StackPathLength];
        if (!ToCString(path, buffer, out var bytes))
        {
            return Errno.ENOENT;
        }

        fixed (byte* p = bytes)
        {
            return Libc.Mkdir(p, (uint)mode) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>
    /// Creates a file for writing, or empties the one there (<c>O_CREAT | O_WRONLY | O_TRUNC</c>, mode 0666
    /// less the umask: what C's <c>fopen(path, "w")</c> does).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="fd">The open descriptor, or -1.</param>
    /// <returns>0, or <c>open</c>'s error number.</returns>
    public static int Create(string path, out int fd) => Open(path, CreateMode, out fd);

    /// <summary>Writes all of <paramref name="bytes"/> (<c>write(2)</c>, partial writes continued).</summary>
    /// <param name="fd">An open descriptor.</param>
    /// <param name="bytes">What to write.</param>
    /// <returns>0, or the error number of the write that failed.</returns>
    public static int Write(int fd, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            int done = 0;
            while (done < bytes.Length)
            {
                nint n = Libc.Write(fd, start + done, (nuint)(bytes.Length - done));
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Errno.EINTR)
                    {
                        continue;
                    }

                    return errno;
                }

                done += (int)n;
            }
        }

        return 0;
    }

    /// <summary>Whether a descriptor is a terminal (<c>isatty(3)</c>).</summary>
    /// <param name="fd">The descriptor.</param>
    /// <returns>Whether it is one.</returns>
    public static bool IsTerminal(int fd) => Libc.IsATty(fd) == 1;

    /// <summary>Closes a descriptor from <see cref="Create"/> or <see cref="OpenForReading"/>.</summary>
    /// <param name="fd">The descriptor.</param>
    public static void Close(int fd) => Libc.Close(fd);

    /// <summary>Removes a mapping made by <see cref="MapOrRead"/>.</summary>
    /// <param name="address">The mapping.</param>
    /// <param name="length">Its length.</param>
    public static void Unmap(nint address, long length) => Libc.Munmap(address, (nuint)length);

    /// <summary>The <c>d_type</c> of a regular file (<c>DT_REG</c>).</summary>
    public const byte RegularFileType = 8;

    /// <summary>
    /// The entries of a directory, <c>.</c> and <c>..</c> left out, in the order the file system gives them,
    /// each with its <c>d_type</c> (<see cref="RegularFileType"/>, or 0 where the file system does not say).
    /// </summary>
    /// <param name="path">The directory.</param>
    /// <param name="entries">Receives the names and types.</param>
    /// <returns>0, or the error number of <c>open</c> or <c>getdents64</c> (<see cref="Errno.ENOTDIR"/> for a file).</returns>
    public static int ListDirectory(string path, List<(string Name, byte Type)> entries)
    {
        int error = Open(path, Libc.OpenDirectory, out int fd);
        if (error != 0)
        {
            return error;
        }

        try
        {
            byte* buffer = stackalloc byte[ReadChunk];
            while (true)
            {
                nint n = Libc.GetDents64(fd, buffer, ReadChunk);
                if (n < 0)
                {
                    return Marshal.GetLastPInvokeError();
                }

                if (n == 0)
                {
                    return 0;
                }

                // struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[].
                for (nint offset = 0; offset < n;)
                {
                    byte* entry = buffer + offset;
                    ushort recordLength = *(ushort*)(entry + 16);
                    var name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(entry + 19);
                    if (!(name.Length == 1 && name[0] == '.') && !(name.Length == 2 && name[0] == '.' && name[1] == '.'))
                    {
                        entries.Add((Encoding.UTF8.GetString(name), entry[18]));
                    }

                    offset += recordLength;
                }
            }
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    // Reads to the end: one read usually does it, into a stack buffer, then an array of exactly that size.
    private static int ReadFrom(int fd, int maxLength, out byte[] contents)
    {
        contents = [];
        byte* chunk = stackalloc byte[ReadChunk];
        byte[]? collected = null;
        int total = 0;
        while (true)
        {
            nint n = Libc.Read(fd, chunk, ReadChunk);
            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR)
                {
                    continue;
                }

                return errno;
            }

            if (n == 0)
            {
                break;
            }

            if ((long)total + n > maxLength)
            {
                return Errno.EFBIG;
            }

            if (collected is null || total + (int)n > collected.Length)
            {
                Array.Resize(ref collected, (int)Math.Min(maxLength, Math.Max(total + n, (collected?.Length ?? 0) * 2L)));
            }

            new ReadOnlySpan<byte>(chunk, (int)n).CopyTo(collected.AsSpan(total));
            total += (int)n;
        }

        contents = collected is null ? [] : total == collected.Length ? collected : collected[..total];
        return 0;
    }

    // Open's extraFlags for Create: creat(2) instead of open(2).
    private const int CreateMode = -1;

    // open(path, O_RDONLY | O_CLOEXEC | extra), or creat(path, 0666) for CreateMode; retried on EINTR.
    private static int Open(string path, int extraFlags, out int fd)
    {
        fd = -1;
        Span<byte> buffer = stackalloc byte[StackPathLength];
        if (!ToCString(path, buffer, out var bytes))
        {
            return Errno.ENOENT;
        }

        fixed (byte* p = bytes)
        {
            while (true)
            {
                fd = extraFlags == CreateMode ? Libc.Creat(p, 0x1B6) : Libc.Open(p, Libc.OpenReadOnly | extraFlags);
                if (fd >= 0)
                {
                    return 0;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR)
                {
                    return errno;
                }
            }
        }
    }

    // The path as a NUL-terminated UTF-8 string, in the stack buffer when it fits. A path with a NUL byte
    // names no file (false): cut at the NUL, it would name another one.
    private static bool ToCString(string path, Span<byte> stackBuffer, out Span<byte> bytes)
    {
        bytes = default;
        if (path.Contains('\0'))
        {
            return false;
        }

        int maxLength = Encoding.UTF8.GetMaxByteCount(path.Length) + 1;
        var buffer = maxLength <= stackBuffer.Length ? stackBuffer : new byte[maxLength];
        int written = Encoding.UTF8.GetBytes(path, buffer);
        buffer[written] = 0;
        bytes = buffer[..(written + 1)];
        return true;
    }
}
