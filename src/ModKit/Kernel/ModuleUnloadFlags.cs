namespace ModKit.Kernel;

/// <summary>
/// The flags of <c>delete_module(2)</c>: open(2) flag values, as on x86, arm, arm64, riscv, s390 and
/// powerpc (alpha, sparc and parisc number them differently and are not supported).
/// </summary>
[Flags]
public enum ModuleUnloadFlags
{
    /// <summary>No flags: the kernel refuses to wait and answers <c>EWOULDBLOCK</c> for a module in use.</summary>
    None = 0,

    /// <summary><c>O_TRUNC</c>: force the removal (<c>CONFIG_MODULE_FORCE_UNLOAD</c>); kmod's <c>KMOD_REMOVE_FORCE</c>.</summary>
    Force = 0x200,

    /// <summary><c>O_NONBLOCK</c>: do not wait; libkmod always passes it (<c>KMOD_REMOVE_NOWAIT</c>).</summary>
    NonBlocking = 0x800,
}
