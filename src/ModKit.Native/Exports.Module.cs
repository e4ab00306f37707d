using System.Runtime.InteropServices;
using ModKit.Modules;
using ModKit.Probe;

namespace ModKit.Native;

internal static unsafe partial class Exports
{
    [UnmanagedCallersOnly(EntryPoint = "kmod_module_new_from_name")]
    private static int ModuleNewFromName(nint ctx, byte* name, nint* mod)
    {
        try
        {
            if (KmodContext.From(ctx) is not { } context || name is null || mod is null)
            {
                return -Errno.ENOENT;
            }

            *mod = context.Ref(context.Modules.FromName(NativeString.Read(name)!)).Handle;
            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_new_from_path")]
    private static int ModuleNewFromPath(nint ctx, byte* path, nint* mod)
    {
        try
        {
            if (KmodContext.From(ctx) is not { } context || path is null || mod is null)
            {
                return -Errno.ENOENT;
            }

            string absolute = KmodContext.MakeAbsolute(NativeString.Read(path)!);

            // The module is named after the file, and keeps the absolute path (kmod's path_make_absolute_cwd).
            int error = context.Modules.FromPath(absolute, out var module);
            if (error != 0)
            {
                return -error;
            }

            *mod = context.Ref(module!).Handle;
            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_new_from_lookup")]
    private static int ModuleNewFromLookup(nint ctx, byte* alias, KmodList** list)
    {
        try
        {
            if (KmodContext.From(ctx) is not { } context || alias is null)
            {
                return -Errno.ENOENT;
            }

            if (list is null || *list is not null)
            {
                NativeLog.Write(context, KmodContext.LogErr, "kmod_module_new_from_lookup", "An empty list is needed to create lookup");
                return -Errno.ENOSYS;
            }

            int error = context.Modules.Lookup(NativeString.Read(alias)!, out var found);
            if (error != 0)
            {
                return -error;
            }

            *list = ModuleList(context, found);
            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_new_from_name_lookup")]
    private static int ModuleNewFromNameLookup(nint ctx, byte* name, nint* mod)
    {
        try
        {
            if (KmodContext.From(ctx) is not { } context || name is null || mod is null)
            {
                return -Errno.ENOENT;
            }

            // Only the first module found is kept; the others are released as kmod's list is.
            var found = context.Modules.LookupName(NativeString.Read(name)!);
            var modules = new List<KmodModule>(found.Count);
            foreach (var module in found)
            {
                modules.Add(context.Ref(module));
            }

            if (modules.Count > 0)
            {
                *mod = modules[0].Handle;
            }

            for (int i = 1; i < modules.Count; i++)
            {
                modules[i].Unref();
            }

            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_ref")]
    private static nint ModuleRef(nint mod)
    {
        try
        {
            if (KmodModule.From(mod) is not { } module)
            {
                return 0;
            }

            module.RefCount++;
            return mod;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    // shim.c's kmod_module_unref and kmod_module_unref_list answer NULL themselves, without starting the runtime.
    [UnmanagedCallersOnly(EntryPoint = "modkit_kmod_module_unref")]
    private static nint ModuleUnref(nint mod)
    {
        try
        {
            return KmodModule.From(mod)?.Unref() ?? 0;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "modkit_kmod_module_unref_list")]
    private static int ModuleUnrefList(KmodList* list)
    {
        try
        {
            UnrefList(list);
            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_get_module")]
    private static nint ModuleGetModule(KmodList* entry)
    {
        try
        {
            if (entry is null || KmodModule.From(entry->Data) is not { } module)
            {
                return 0;
            }

            module.RefCount++;
            return module.Handle;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_get_name")]
    private static byte* ModuleGetName(nint mod)
    {
        try
        {
            return KmodModule.From(mod) is { } module ? module.Name : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_get_path")]
    private static byte* ModuleGetPath(nint mod)
    {
        try
        {
            if (KmodModule.From(mod) is not { } module)
            {
                return null;
            }

            string? path = module.Context.Modules.GetPath(module.Module);
            module.PinDependencies();
            return module.PathOf(path);
        }
        catch (Exception)
        {
            return null;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_get_dependencies")]
    private static KmodList* ModuleGetDependencies(nint mod)
    {
        try
        {
            if (KmodModule.From(mod) is not { } module)
            {
                return null;
            }

            var dependencies = module.Context.Modules.GetDependencies(module.Module);
            module.PinDependencies();
            return ModuleList(module.Context, dependencies);
        }
        catch (Exception)
        {
            return null;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_get_options")]
    private static byte* ModuleGetOptions(nint mod)
    {
        try
        {
            return KmodModule.From(mod) is { } module ? module.Options(module.Context.Modules.GetOptions(module.Module)) : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_get_install_commands")]
    private static byte* ModuleGetInstallCommands(nint mod)
    {
        try
        {
            return KmodModule.From(mod) is { } module ? module.InstallCommands(module.Context.Modules.GetInstallCommand(module.Module)) : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_get_remove_commands")]
    private static byte* ModuleGetRemoveCommands(nint mod)
    {
        try
        {
            return KmodModule.From(mod) is { } module ? module.RemoveCommands(module.Context.Modules.GetRemoveCommand(module.Module)) : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_module_get_softdeps")]
    private static int ModuleGetSoftdeps(nint mod, KmodList** pre, KmodList** post)
    {
        try
        {
            if (KmodModule.From(mod) is not { } module || pre is null || post is null)
            {
                return -Errno.ENOENT;
            }

            module.Context.Modules.GetSoftDependencies(module.Module, out var before, out var after);
            *pre = ModuleList(module.Context, before);
            *post = ModuleList(module.Context, after);
            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    // A new kmod_list of modules, each with a reference of its own.
    private static KmodList* ModuleList(KmodContext context, IReadOnlyList<ProbeModule> modules)
    {
        KmodList* list = null;
        try
        {
            foreach (var module in modules)
            {
                list = KmodList.Append(list, context.Ref(module).Handle);
            }

            return list;
        }
        catch
        {
            UnrefList(list);
            throw;
        }
    }

    private static void UnrefList(KmodList* list)
    {
        for (; list is not null; list = KmodList.RemoveFirst(list))
        {
            KmodModule.From(list->Data)?.Unref();
        }
    }
}
