using System.Runtime.InteropServices;

namespace ModKit.Native;

// The configuration's entries, walked with kmod_config_iter (modprobe -c prints them this way).
internal static unsafe partial class Exports
{
    [UnmanagedCallersOnly(EntryPoint = "kmod_config_get_blacklists")]
    private static nint ConfigGetBlacklists(nint ctx) => ConfigIter(ctx, 0);

    [UnmanagedCallersOnly(EntryPoint = "kmod_config_get_install_commands")]
    private static nint ConfigGetInstallCommands(nint ctx) => ConfigIter(ctx, 1);

    [UnmanagedCallersOnly(EntryPoint = "kmod_config_get_remove_commands")]
    private static nint ConfigGetRemoveCommands(nint ctx) => ConfigIter(ctx, 2);

    [UnmanagedCallersOnly(EntryPoint = "kmod_config_get_aliases")]
    private static nint ConfigGetAliases(nint ctx) => ConfigIter(ctx, 3);

    [UnmanagedCallersOnly(EntryPoint = "kmod_config_get_options")]
    private static nint ConfigGetOptions(nint ctx) => ConfigIter(ctx, 4);

    [UnmanagedCallersOnly(EntryPoint = "kmod_config_get_softdeps")]
    private static nint ConfigGetSoftdeps(nint ctx) => ConfigIter(ctx, 5);

    private static nint ConfigIter(nint ctx, int kind)
    {
        try
        {
            return KmodContext.From(ctx) is { } context ? new KmodConfigIter(context.ConfigEntries(kind)).Handle : 0;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_config_iter_get_key")]
    private static byte* ConfigIterGetKey(nint iter)
    {
        try
        {
            return KmodConfigIter.From(iter) is { } it ? it.Key : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_config_iter_get_value")]
    private static byte* ConfigIterGetValue(nint iter)
    {
        try
        {
            return KmodConfigIter.From(iter) is { } it ? it.Value : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    // C's bool: one byte, 0 or 1.
    [UnmanagedCallersOnly(EntryPoint = "kmod_config_iter_next")]
    private static byte ConfigIterNext(nint iter)
    {
        try
        {
            return KmodConfigIter.From(iter) is { } it && it.Next() ? (byte)1 : (byte)0;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "kmod_config_iter_free_iter")]
    private static void ConfigIterFree(nint iter)
    {
        try
        {
            KmodConfigIter.From(iter)?.Free();
        }
        catch (Exception)
        {
        }
    }
}
