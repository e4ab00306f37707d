namespace ModKit.Files;

/// <summary>
/// Keeps a few native decoder contexts (a zstd DStream, an lzma_stream, a z_stream) for reuse, so that
/// decompressing thousands of modules does not allocate and page-fault a fresh window buffer
/// (1 MiB for the kernel's xz settings, up to several MiB for zstd) for every file.
/// </summary>
internal sealed class NativeContextPool
{
    private readonly nint[] _slots = new nint[Math.Clamp(Environment.ProcessorCount, 1, 8)];
    private readonly Func<nint> _create;
    private readonly Action<nint> _destroy;

    public NativeContextPool(Func<nint> create, Action<nint> destroy)
    {
        _create = create;
        _destroy = destroy;
    }

    /// <summary>Takes a pooled context, or creates one (0 when creation fails).</summary>
    public nint Rent()
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            nint context = Interlocked.Exchange(ref _slots[i], 0);
            if (context != 0)
            {
                return context;
            }
        }

        return _create();
    }

    /// <summary>Gives a context back for reuse, or destroys it when the pool is full.</summary>
    public void Return(nint context)
    {
        if (context == 0)
        {
            return;
        }

        for (int i = 0; i < _slots.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _slots[i], context, 0) == 0)
            {
                return;
            }
        }

        _destroy(context);
    }
}
