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
