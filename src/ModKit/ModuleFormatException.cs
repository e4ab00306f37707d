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

    /// <summary>Throws a <see cref="ModuleFormatException"/>.</summary>
    /// <param name="message">What is wrong with the input.</param>
    /// <param name="errno">The error number kmod reports.</param>
    [DoesNotReturn]
    public static void Throw(string message, int errno = Errno.EINVAL) => throw new ModuleFormatException(message, errno);
}
