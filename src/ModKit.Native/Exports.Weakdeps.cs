#if !KMOD_COMPAT_30
using System.Runtime.InteropServices;

namespace ModKit.Native;

// kmod 33's weak dependencies (LIBKMOD_33): only in a kmod 34 build, as kmod 30 has no such functions.
internal static unsafe partial class Exports
{
    [UnmanagedCallersOnly(EntryPoint = "kmod_config_get_weakdeps")]
    private static nint ConfigGetWeakdeps(nint ctx) => ConfigIter(ctx, 6);

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_get_weakdeps")]
    private static int ModuleGetWeakdeps(nint mod, KmodList** weak)
    {
        try
        {
            if (KmodModule.From(mod) is not { } module || weak is null)
            {
                return -Errno.ENOENT;
            }

            *weak = ModuleList(module.Context, module.Context.Modules.GetWeakDependencies(module.Module));
            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }
}
#endif
