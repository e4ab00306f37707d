using System.Diagnostics.CodeAnalysis;

namespace ModKit;

/// <summary>
/// Thrown when a module file, a compressed stream, a signature trailer or an index file is malformed.
/// Carries the error number kmod reports for the same input, so tools can print kmod's message.
/// </summary>
public sealed class ModuleFormatException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong with the input.</param>
    /// <param name="errno">The error number kmod reports for this input (<see cref="Errno.EINVAL"/> by default).</param>
    public ModuleFormatException(string message, int errno = Errno.EINVAL)
        : base(message)
    {
        ErrorNumber = errno;
    }

    /// <summary>The error number kmod reports for this input, e.g. <see cref="Errno.ENOEXEC"/> for a file that is not ELF.</summary>
    public int ErrorNumber { get; }

    /// <summary>
    /// The libkmod function (kmod 34's name) that logs <see cref="Exception.Message"/> as an error, e.g.
    /// <c>xz_uncompress_belch</c> for <c>xz: File is corrupt</c>; <see langword="null"/> when libkmod logs nothing
    /// for this input. Only libkmod releases with <see cref="KmodProfile.LogsDecompressionErrors"/> show it.
    /// </summary>
    public string? LibkmodFunction { get; init; }

    /// <summary>
    /// How libkmod fares when it loads the same open file again after this failure (kmod keeps a module's file open,
    /// and each later query that needs its contents loads it anew): see <see cref="Modules.ModuleFile.GetRetryMessages"/>.
    /// </summary>
    internal LibkmodRetry Retry { get; init; }

    /// <summary>
    /// For <see cref="LibkmodRetry.ReadsOn"/>: where libkmod's file descriptor stands after this failure, so where the
    /// next load starts reading.
    /// </summary>
    internal long RetryOffset { get; init; }

    /// <summary>
    /// The input lacks an ELF section that is needed (such as <c>.modinfo</c>): <see cref="ErrorNumber"/> is kmod 30's
    /// <see cref="Errno.ENOENT"/>; later releases report <see cref="KmodProfile.MissingSectionErrno"/>.
    /// </summary>
    public bool MissingSection { get; init; }

    /// <summary>Throws a <see cref="ModuleFormatException"/>.</summary>
    /// <param name="message">What is wrong with the input.</param>
    /// <param name="errno">The error number kmod reports.</param>
    [DoesNotReturn]
    public static void Throw(string message, int errno = Errno.EINVAL) => throw new ModuleFormatException(message, errno);
}

/// <summary>What libkmod's next load of a file whose load failed does (it keeps the descriptor it read from).</summary>
internal enum LibkmodRetry
{
    /// <summary>The whole file is read again (zstd maps it): the same failure, the same message.</summary>
    Repeats,

    /// <summary>
    /// The decoder reads on from where the failed one left the descriptor (xz's <c>read</c> of <c>BUFSIZ</c> chunks); at the
    /// end of the file that is <c>xz: Unexpected end of input</c>.
    /// </summary>
    ReadsOn,

    /// <summary>Nothing is logged (zlib's <c>gzread</c> passes bytes that are not gzip through, or reads nothing, without an error).</summary>
    Silent,
}
