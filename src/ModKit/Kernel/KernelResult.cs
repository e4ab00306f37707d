namespace ModKit.Kernel;

/// <summary>
/// The outcome of a kernel request that yields no value: success, or the errno the kernel (or the
/// file system under <c>/proc</c> and <c>/sys</c>) answered. Routine outcomes such as "already
/// loaded" are results, not exceptions; the tools turn them into kmod's messages.
/// </summary>
/// <param name="Errno">0 on success, otherwise a positive error number (see <see cref="ModKit.Errno"/>).</param>
public readonly record struct KernelResult(int Errno)
{
    /// <summary>Success.</summary>
    public static KernelResult Success => default;

    /// <summary>Whether the request succeeded.</summary>
    public bool Succeeded => Errno == 0;

    /// <summary>A failure with <paramref name="errno"/>.</summary>
    /// <param name="errno">A positive error number.</param>
    /// <returns>The result.</returns>
    public static KernelResult Failure(int errno) => new(errno);

    /// <inheritdoc/>
    public override string ToString() => Succeeded ? "success" : ModKit.Errno.Describe(Errno);
}
