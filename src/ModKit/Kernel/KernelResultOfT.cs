namespace ModKit.Kernel;

/// <summary>The outcome of a kernel query: a value, or the errno that prevented reading it.</summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <param name="Value">The value; meaningful only when <see cref="Succeeded"/>.</param>
/// <param name="Errno">0 on success, otherwise a positive error number.</param>
public readonly record struct KernelResult<T>(T Value, int Errno)
{
    /// <summary>Whether the value was read.</summary>
    public bool Succeeded => Errno == 0;

    /// <summary>A successful result.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The result.</returns>
    public static KernelResult<T> Success(T value) => new(value, 0);

    /// <summary>A failure with <paramref name="errno"/>.</summary>
    /// <param name="errno">A positive error number.</param>
    /// <returns>The result.</returns>
    public static KernelResult<T> Failure(int errno) => new(default!, errno);
}
