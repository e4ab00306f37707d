namespace ModKit;

/// <summary>
/// A module could not be found, loaded or unloaded (<see cref="KernelModules"/>): the errno libkmod would return,
/// with kmod's wording of it.
/// </summary>
public sealed class ModuleOperationException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, e.g. <c>could not insert 'loop': Operation not permitted</c>.</param>
    /// <param name="errorNumber">The errno (positive), e.g. <see cref="Errno.ENOENT"/>.</param>
    public ModuleOperationException(string message, int errorNumber)
        : base(message) => ErrorNumber = errorNumber;

    /// <summary>Creates the exception with no errno (0).</summary>
    public ModuleOperationException()
    {
    }

    /// <summary>Creates the exception with no errno (0).</summary>
    /// <param name="message">What failed.</param>
    public ModuleOperationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no errno (0).</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public ModuleOperationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The errno (positive): <c>ENOENT</c> for a module that does not exist, <c>EPERM</c>, <c>EEXIST</c>...</summary>
    public int ErrorNumber { get; }
}
