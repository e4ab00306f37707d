using System.Runtime.InteropServices;
using ModKit.Kernel;

namespace ModKit.Native;

// Loading and unloading one module, through ModKit's ModuleLoader and IKernel.
internal static unsafe partial class Exports
{
    /// <summary>kmod_insert and kmod_remove flags.</summary>
    private const int InsertForceVermagic = 0x1, InsertForceModversion = 0x2, RemoveForce = 0x200, RemoveNoLog = 1;

    /// <summary>libkmod's INFO priority.</summary>
    private const int LogInfo = 6;

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_insert_module")]
    private static int ModuleInsertModule(nint mod, uint flags, byte* options)
    {
        try
        {
            if (KmodModule.From(mod) is not { } module)
            {
                return -Errno.ENOENT;
            }

            var context = module.Context;
            string? path = context.Modules.GetPath(module.Module);
            module.PinDependencies();
            if (path is null)
            {
                NativeLog.Write(context, KmodContext.LogErr, "kmod_module_insert_module", $"could not find module by name='{module.Module.Name}'");
                return -Errno.ENOENT;
            }

            // kmod maps the file before it calls the kernel, and mapping an empty file fails.
            if (new FileInfo(path) is { Exists: true, Length: 0 })
            {
                return -Errno.EINVAL;
            }

            var force = ((flags & InsertForceVermagic) != 0 ? ModuleForce.Vermagic : ModuleForce.None)
                | ((flags & InsertForceModversion) != 0 ? ModuleForce.Modversion : ModuleForce.None);
            var result = ModuleLoader.Load(context.Modules.Kernel, path, NativeString.Read(options) ?? string.Empty, force,
                message => NativeLog.Write(context, LogInfo, "kmod_module_insert_module", message));
            return result.Succeeded ? 0 : -result.Errno;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_remove_module")]
    private static int ModuleRemoveModule(nint mod, uint flags)
    {
        try
        {
            if (KmodModule.From(mod) is not { } module)
            {
                return -Errno.ENOENT;
            }

            // Only KMOD_REMOVE_FORCE reaches the kernel, always with O_NONBLOCK.
            var kernelFlags = ModuleUnloadFlags.NonBlocking | ((flags & RemoveForce) != 0 ? ModuleUnloadFlags.Force : ModuleUnloadFlags.None);
            var result = module.Context.Modules.Kernel.UnloadModule(module.Module.Name, kernelFlags);
            if (result.Succeeded)
            {
                return 0;
            }

            if ((flags & RemoveNoLog) == 0)
            {
                NativeLog.Write(module.Context, KmodContext.LogErr, "kmod_module_remove_module", $"could not remove '{module.Module.Name}': {Errno.Describe(result.Errno)}");
            }

            return -result.Errno;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }
}
