namespace ModKit.Depmod;

/// <summary>
/// Thrown when a depmod run finds more modules than the profile's release can number
/// (<see cref="KmodProfile.DepmodModuleLimit"/>): kmod 34's <c>could not build module array: Numerical result out of range</c>.
/// </summary>
public sealed class DepmodModuleLimitException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="count">How many modules were found.</param>
    /// <param name="limit">The count the release refuses.</param>
    public DepmodModuleLimitException(int count, int limit)
        : base($"{count} modules found; kmod refuses {limit} or more.", Errno.ERANGE)
    {
        Count = count;
        Limit = limit;
    }

    /// <summary>How many modules were found.</summary>
    public int Count { get; }

    /// <summary>The count the release refuses.</summary>
    public int Limit { get; }
}
