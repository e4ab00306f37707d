using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ModKit.Native;

/// <summary>
/// libkmod's exported functions (<c>libkmod.h</c>). Every export catches every exception and answers as
/// libkmod does on failure: a negative errno, or NULL.
/// </summary>
internal static unsafe partial class Exports
{
    /// <summary>kmod_resources: the indexes or the configuration changed on disk.</summary>
    private const int ResourcesOk = 0, ResourcesMustReload = 1, ResourcesMustRecreate = 2;

    /// <summary>Linux's PATH_MAX, the size of kmod's path buffers.</summary>
    private const int PathMax = 4096;

    // The index files kmod_load_resources maps, in kmod's order; modules.builtin.alias.bin is optional.
    private static readonly string[] ResourceIndexes =
    [
        Modules.ModuleDirectory.DepIndex, Modules.ModuleDirectory.AliasIndex, Modules.ModuleDirectory.SymbolIndex,
        Modules.ModuleDirectory.BuiltinAliasIndex, Modules.ModuleDirectory.BuiltinIndex,
    ];

    // The runtime starts on the first call into the library: shim.c's kmod_new calls this first, with the
    // host's SIGPIPE disposition saved and the address space checked, then modkit_kmod_new.
    [UnmanagedCallersOnly(EntryPoint = "modkit_runtime_start")]
    private static int RuntimeStart() => 0;

    // kmod_new, called by shim.c's kmod_new once the runtime has started.
    [UnmanagedCallersOnly(EntryPoint = "modkit_kmod_new")]
    private static nint New(byte* dirname, byte** configPaths)
    {
        try
        {
            List<string>? paths = null;
            if (configPaths is not null)
            {
                paths = [];
                for (byte** path = configPaths; *path is not null; path++)
                {
                    paths.Add(NativeString.Read(*path)!);
                }
            }

            return KmodContext.Create(NativeString.Read(dirname), paths).Handle;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_ref")]
    private static nint Ref(nint ctx)
    {
        try
        {
            var context = KmodContext.From(ctx);
            if (context is null)
            {
                return 0;
            }

            context.RefCount++;
            return ctx;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    // shim.c's kmod_unref answers NULL itself, without starting the runtime.
    [UnmanagedCallersOnly(EntryPoint = "modkit_kmod_unref")]
    private static nint Unref(nint ctx)
    {
        try
        {
            var context = KmodContext.From(ctx);
            return context is null ? 0 : ContextUnref(context);
        }
        catch (Exception)
        {
            return 0;
        }
    }

    /// <summary><c>kmod_unref</c>: the handle while references remain, else frees the context and gives 0.</summary>
    internal static nint ContextUnref(KmodContext context)
    {
        if (--context.RefCount > 0)
        {
            return context.Handle;
        }

        context.Release();
        return 0;
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_get_dirname")]
    private static byte* GetDirname(nint ctx)
    {
        try
        {
            return KmodContext.From(ctx) is { } context ? context.DirnamePointer : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_get_userdata")]
    private static nint GetUserData(nint ctx)
    {
        try
        {
            return KmodContext.From(ctx)?.UserData ?? 0;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_set_userdata")]
    private static void SetUserData(nint ctx, nint userdata)
    {
        try
        {
            if (KmodContext.From(ctx) is { } context)
            {
                context.UserData = userdata;
            }
        }
        catch (Exception)
        {
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_get_log_priority")]
    private static int GetLogPriority(nint ctx)
    {
        try
        {
            return KmodContext.From(ctx)?.LogPriority ?? -1;
        }
        catch (Exception)
        {
            return -1;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_set_log_priority")]
    private static void SetLogPriority(nint ctx, int priority)
    {
        try
        {
            if (KmodContext.From(ctx) is { } context)
            {
                context.LogPriority = priority;
            }
        }
        catch (Exception)
        {
        }
    }

    // The callback is called through logshim.c, which builds its va_list; NULL restores kmod's default (stderr).
    [UnmanagedCallersOnly(EntryPoint = "kmod_set_log_fn")]
    private static void SetLogFunction(nint ctx, nint logFunction, nint data)
    {
        try
        {
            if (KmodContext.From(ctx) is { } context)
            {
                context.LogFunction = logFunction;
                context.LogData = data;
            }
        }
        catch (Exception)
        {
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_load_resources")]
    private static int LoadResources(nint ctx)
    {
        try
        {
            if (KmodContext.From(ctx) is not { } context)
            {
                return -Errno.ENOENT;
            }

            // kmod stops at the first index that cannot be mapped (except modules.builtin.alias.bin),
            // drops them all and returns that index's error.
            foreach (string index in ResourceIndexes)
            {
                string path = context.Dirname + "/" + index;
                if (!File.Exists(path) && index != Modules.ModuleDirectory.BuiltinAliasIndex)
                {
                    context.IndexStamps.Clear();
                    context.Modules.UnloadResources();

                    // The error kmod's open gives, on the path cut to PATH_MAX - 1 as its snprintf does
                    // (ENAMETOOLONG for a name longer than NAME_MAX).
                    int error = IO.NativeFile.Stat(path.Length < PathMax ? path : path[..(PathMax - 1)]);
                    return -(error != 0 ? error : Errno.ENOENT);
                }
            }

            if (!context.Modules.LoadResources())
            {
                context.IndexStamps.Clear();
                return -Errno.EINVAL;
            }

            foreach (string index in ResourceIndexes)
            {
                string path = context.Dirname + "/" + index;
                if (context.Modules.Directory.IsKeptOpen(index) && !context.IndexStamps.ContainsKey(index))
                {
                    context.IndexStamps[index] = File.GetLastWriteTimeUtc(path);
                }
            }

            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_unload_resources")]
    private static void UnloadResources(nint ctx)
    {
        try
        {
            if (KmodContext.From(ctx) is { } context)
            {
                context.Modules.UnloadResources();
                context.IndexStamps.Clear();
            }
        }
        catch (Exception)
        {
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_validate_resources")]
    private static int ValidateResources(nint ctx)
    {
        try
        {
            if (KmodContext.From(ctx) is not { } context)
            {
                return ResourcesMustRecreate;
            }

            foreach (var (path, stamp) in context.ConfigStamps)
            {
                if (!Changed(path, stamp))
                {
                    continue;
                }

                return ResourcesMustRecreate;
            }

            foreach (var (index, stamp) in context.IndexStamps)
            {
                if (Changed(context.Dirname + "/" + index, stamp))
                {
                    return ResourcesMustReload;
                }
            }

            return ResourcesOk;
        }
        catch (Exception)
        {
            return ResourcesMustRecreate;
        }
    }

    // is_cache_invalid: gone, or modified since it was read.
    private static bool Changed(string path, DateTime stamp) =>
        !(File.Exists(path) || Directory.Exists(path)) || File.GetLastWriteTimeUtc(path) != stamp;

    // kmod_index: the index files kmod_dump_index knows, and the prefix of each line it writes.
    private static readonly (string File, string Prefix)[] DumpIndexes =
    [
        (Modules.ModuleDirectory.DepIndex, ""), (Modules.ModuleDirectory.AliasIndex, "alias "), (Modules.ModuleDirectory.SymbolIndex, "alias "),
        (Modules.ModuleDirectory.BuiltinAliasIndex, ""), (Modules.ModuleDirectory.BuiltinIndex, ""),
    ];

    [UnmanagedCallersOnly(EntryPoint = "kmod_dump_index")]
    private static int DumpIndex(nint ctx, int type, int fd)
    {
        try
        {
            if (KmodContext.From(ctx) is not { } context)
            {
                return -Errno.ENOSYS;
            }

            if (type < 0 || type >= DumpIndexes.Length)
            {
                return -Errno.ENOENT;
            }

            var (file, prefix) = DumpIndexes[type];
            if (!context.Modules.Directory.IsKeptOpen(file) && !File.Exists(context.Dirname + "/" + file))
            {
                return -Errno.ENOSYS;
            }

            // The caller's descriptor, written to and left open.
            using var stream = new DescriptorStream(fd);
            context.Modules.Directory.DumpIndex(file, stream, prefix);
            return 0;
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    // kmod_list_next, kmod_list_prev and kmod_list_last are pointer walks over kmod's layout (KmodList),
    // written in shim.c: they never need the runtime.

    // A failure libkmod would report as an errno: out of memory, or the error a file operation carries.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Fail(Exception e) => -(e is OutOfMemoryException ? Errno.ENOMEM : Errno.FromException(e));
}
