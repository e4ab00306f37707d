namespace ModKit.Index;

/// <summary>
/// Which of kmod's two index readers to imitate where values of equal priority meet. kmod 30 has a stdio
/// reader (<c>index_file_*</c>, used when the indexes were not preloaded: <c>modinfo</c>, a bare
/// <c>kmod_new</c>) and an mmap reader (<c>index_mm_*</c>, used after <c>kmod_load_resources</c>:
/// <c>modprobe</c>); they order ties differently (docs/index-format.md §6).
/// </summary>
/// <remarks>
/// Both readers sort wildcard results by ascending priority and put, among equal priorities, the values of a
/// node visited later before those of a node visited earlier. Within one node: the stdio reader gives file
/// order for wildcard results, the last of the lowest-priority values for an exact lookup, and reverse file
/// order for a dump; the mmap reader gives reverse file order, the first stored value, and file order.
/// depmod stores equal priorities newest first, so for builtin aliases <c>unix</c>, <c>ext4</c>, <c>zzz</c>
/// added in that order the stdio reader answers <c>zzz, ext4, unix</c> and the mmap reader
/// <c>unix, ext4, zzz</c>.
/// </remarks>
public enum IndexTieOrder
{
    /// <summary>As kmod's mmap reader (<c>index_mm_*</c>, e.g. <c>modprobe</c>, <c>modprobe -c</c>): wildcard ties in reverse file order.</summary>
    Mmap = 0,

    /// <summary>As kmod's stdio reader (<c>index_file_*</c>, e.g. <c>modinfo</c>): wildcard ties in file order.</summary>
    Stdio = 1,
}
