using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ModKit.Kernel;

namespace ModKit.Native;

// What the running kernel says about modules: /proc/modules and /sys/module, through ModKit's IKernel.
internal static unsafe partial class Exports
{
    /// <summary>kmod_module_initstate.</summary>
    private const int InitStateBuiltin = 0, InitStateLive = 1, InitStateComing = 2, InitStateGoing = 3;

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_new_from_loaded")]
    private static int ModuleNewFromLoaded(nint ctx, KmodList** list)
    {
        try
        {
            if (KmodContext.From(ctx) is not { } context || list is null)
            {
                return -Errno.ENOENT;
            }

            var loaded = context.Modules.Kernel.ReadLoadedModules();
            if (!loaded.Succeeded)
            {
                NativeLog.Write(context, KmodContext.LogErr, "kmod_module_new_from_loaded", $"could not open /proc/modules: {Errno.Describe(loaded.Errno)}");
                return -loaded.Errno;
            }

            KmodList* result = null;
            foreach (var module in loaded.Value)
            {
                result = KmodList.Append(result, context.Ref(context.Modules.FromName(module.Name)).Handle);
            }

            *list = result;
            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_initstate_str")]
    private static byte* ModuleInitStateString(int state) => state switch
    {
        InitStateBuiltin => Literal("builtin\0"u8),
        InitStateLive => Literal("live\0"u8),
        InitStateComing => Literal("coming\0"u8),
        InitStateGoing => Literal("going\0"u8),
        _ => null,
    };

    // u8 literals live in the library's read-only data for as long as the process.
    private static byte* Literal(ReadOnlySpan<byte> text) => (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(text));

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_get_initstate")]
    private static int ModuleGetInitState(nint mod)
    {
        try
        {
            if (KmodModule.From(mod) is not { } module)
            {
                return -Errno.ENOENT;
            }

            if (module.Context.Modules.IsBuiltin(module.Module))
            {
                return InitStateBuiltin;
            }

            // No initstate file but the module's folder: a module still coming (as kmod reads it).
            var state = module.Context.Modules.Kernel.ReadInitState(module.Module.Name);
            if (!state.Succeeded)
            {
                return -state.Errno;
            }

            return state.Value switch
            {
                ModuleInitState.Live => InitStateLive,
                ModuleInitState.Coming => InitStateComing,
                _ => InitStateGoing,
            };
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_get_refcnt")]
    private static int ModuleGetRefCount(nint mod)
    {
        try
        {
            if (KmodModule.From(mod) is not { } module)
            {
                return -Errno.ENOENT;
            }

            var count = module.Context.Modules.Kernel.ReadRefCount(module.Module.Name);
            return count.Succeeded ? count.Value : -count.Errno;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_get_size")]
    private static nint ModuleGetSize(nint mod)
    {
        try
        {
            if (KmodModule.From(mod) is not { } module)
            {
                return -Errno.ENOENT;
            }

            var kernel = module.Context.Modules.Kernel;
            var size = kernel.ReadSize(module.Module.Name);
            if (size.Succeeded)
            {
                return (nint)size.Value;
            }

            // Loaded (its /sys/module folder is there) but no coresize: kmod looked in /proc/modules, and
            // says so when that cannot be read.
            string folder = "/sys/module/" + module.Module.Name;
            if (Directory.Exists(folder) && !File.Exists(folder + "/coresize") && kernel.ReadLoadedModules() is { Succeeded: false } loaded)
            {
                NativeLog.Write(module.Context, KmodContext.LogErr, "kmod_module_get_size", $"could not open /proc/modules: {Errno.Describe(loaded.Errno)}");
                return -loaded.Errno;
            }

            return -size.Errno;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_get_holders")]
    private static KmodList* ModuleGetHolders(nint mod)
    {
        try
        {
            if (KmodModule.From(mod) is not { } module)
            {
                return null;
            }

            var holders = module.Context.Modules.Kernel.ReadHolders(module.Module.Name);
            if (!holders.Succeeded)
            {
                NativeLog.Write(module.Context, KmodContext.LogErr, "kmod_module_get_holders",
                    $"could not open '/sys/module/{module.Module.Name}/holders': {Errno.Describe(holders.Errno)}");
                return null;
            }

            KmodList* list = null;
            foreach (string name in holders.Value)
            {
                list = KmodList.Append(list, module.Context.Ref(module.Context.Modules.FromName(name)).Handle);
            }

            return list;
        }
        catch (Exception)
        {
            return null;
        }
    }
}
