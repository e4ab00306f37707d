namespace ModKit;

/// <summary>
/// The Linux error numbers that ModKit reports, with the texts glibc's <c>strerror</c> gives them,
/// so that tools print exactly what kmod prints (kmod formats errors with <c>strerror(-err)</c>).
/// </summary>
public static class Errno
{
    /// <summary>Operation not permitted.</summary>
    public const int EPERM = 1;
    /// <summary>No such file or directory.</summary>
    public const int ENOENT = 2;
    /// <summary>No such process.</summary>
    public const int ESRCH = 3;
    /// <summary>Interrupted system call.</summary>
    public const int EINTR = 4;
    /// <summary>Input/output error.</summary>
    public const int EIO = 5;
    /// <summary>Exec format error.</summary>
    public const int ENOEXEC = 8;
    /// <summary>Bad file descriptor.</summary>
    public const int EBADF = 9;
    /// <summary>No child processes.</summary>
    public const int ECHILD = 10;
    /// <summary>Resource temporarily unavailable.</summary>
    public const int EAGAIN = 11;
    /// <summary>Cannot allocate memory.</summary>
    public const int ENOMEM = 12;
    /// <summary>Permission denied.</summary>
    public const int EACCES = 13;
    /// <summary>Bad address.</summary>
    public const int EFAULT = 14;
    /// <summary>Device or resource busy.</summary>
    public const int EBUSY = 16;
    /// <summary>File exists.</summary>
    public const int EEXIST = 17;
    /// <summary>No such device.</summary>
    public const int ENODEV = 19;
    /// <summary>Not a directory.</summary>
    public const int ENOTDIR = 20;
    /// <summary>Is a directory.</summary>
    public const int EISDIR = 21;
    /// <summary>Invalid argument.</summary>
    public const int EINVAL = 22;
    /// <summary>File too large.</summary>
    public const int EFBIG = 27;
    /// <summary>No space left on device.</summary>
    public const int ENOSPC = 28;
    /// <summary>Read-only file system.</summary>
    public const int EROFS = 30;
    /// <summary>Numerical result out of range.</summary>
    public const int ERANGE = 34;
    /// <summary>File name too long.</summary>
    public const int ENAMETOOLONG = 36;
    /// <summary>Too many levels of symbolic links.</summary>
    public const int ELOOP = 40;
    /// <summary>Function not implemented.</summary>
    public const int ENOSYS = 38;
    /// <summary>No data available.</summary>
    public const int ENODATA = 61;
    /// <summary>Operation not supported.</summary>
    public const int EOPNOTSUPP = 95;
    /// <summary>Bad message.</summary>
    public const int EBADMSG = 74;
    /// <summary>Key was rejected by service (the kernel's answer to a module with a bad signature).</summary>
    public const int EKEYREJECTED = 129;
    /// <summary>Required key not available (the kernel's answer to an unsigned module under sig_enforce).</summary>
    public const int ENOKEY = 126;

    /// <summary>The error number the C library would have set for a .NET file-system exception.</summary>
    /// <param name="e">An exception from a file-system call.</param>
    /// <returns><see cref="ENOENT"/>, <see cref="EACCES"/>, <see cref="ENAMETOOLONG"/>, the errno an
    /// <see cref="IOException"/> carries, or <see cref="EIO"/>.</returns>
    public static int FromException(Exception e) => e switch
    {
        ModuleFormatException format => format.ErrorNumber,
        FileNotFoundException or DirectoryNotFoundException => ENOENT,
        UnauthorizedAccessException => EACCES,
        PathTooLongException => ENAMETOOLONG,
        IOException io when io.HResult is > 0 and < 4096 => io.HResult,
        _ => EIO,
    };

    /// <summary>
    /// The text kmod prints after a failed file operation: glibc's <c>strerror</c> text for a missing
    /// file, a denied access or a name too long, otherwise the exception's own message.
    /// </summary>
    /// <param name="e">An exception from a file-system call.</param>
    public static string DescribeFileError(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => Describe(ENOENT),
        UnauthorizedAccessException => Describe(EACCES),
        PathTooLongException => Describe(ENAMETOOLONG),
        _ => e.Message,
    };

    /// <summary>Returns glibc's <c>strerror</c> text for <paramref name="errno"/>.</summary>
    /// <param name="errno">A positive error number.</param>
    public static string Describe(int errno) => errno switch
    {
        0 => "Success",
        EPERM => "Operation not permitted",
        ENOENT => "No such file or directory",
        ESRCH => "No such process",
        EINTR => "Interrupted system call",
        EIO => "Input/output error",
        ENOEXEC => "Exec format error",
        EBADF => "Bad file descriptor",
        ECHILD => "No child processes",
        EAGAIN => "Resource temporarily unavailable",
        ENOMEM => "Cannot allocate memory",
        EACCES => "Permission denied",
        EFAULT => "Bad address",
        EBUSY => "Device or resource busy",
        EEXIST => "File exists",
        ENODEV => "No such device",
        ENOTDIR => "Not a directory",
        EISDIR => "Is a directory",
        EINVAL => "Invalid argument",
        EFBIG => "File too large",
        ENOSPC => "No space left on device",
        EROFS => "Read-only file system",
        ERANGE => "Numerical result out of range",
        ENAMETOOLONG => "File name too long",
        ELOOP => "Too many levels of symbolic links",
        ENOSYS => "Function not implemented",
        ENODATA => "No data available",
        EOPNOTSUPP => "Operation not supported",
        EBADMSG => "Bad message",
        ENOKEY => "Required key not available",
        EKEYREJECTED => "Key was rejected by service",
        _ => $"Unknown error {errno}",
    };
}
