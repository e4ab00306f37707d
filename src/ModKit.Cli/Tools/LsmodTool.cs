using ModKit.Modules;

namespace ModKit.Cli.Tools;

/// <summary>
/// <c>lsmod</c> and <c>modkit list</c>: the loaded modules in kmod 30's format (<c>tools/lsmod.c</c>): from
/// <c>/proc/modules</c> in the kernel's order, size, use count and holders from sysfs.
/// </summary>
internal static class LsmodTool
{
    public static int Run(ToolContext context, string argv0, IReadOnlyList<string> args)
    {
        var log = new ToolLog(ModuleName.BaseName(argv0), context.Stderr);

        // kmod 30 takes no options or arguments at all.
        if (args.Count != 0)
        {
            log.Raw($"Usage: {argv0}\n");
            return 1;
        }

        var kernel = context.Kernel;
        var loaded = kernel.ReadLoadedModules();
        if (!loaded.Succeeded)
        {
            string reason = Errno.Describe(loaded.Errno);
            log.Raw($"libkmod: ERROR: kmod_module_new_from_loaded: could not open /proc/modules: {reason}\n");
            log.Raw($"Error: could not get list of modules: {reason}\n");
            return 1;
        }

        using var output = new ToolOutput(context.Stdout);
        output.Write("Module                  Size  Used by\n");
        foreach (var module in loaded.Value)
        {
            string name = module.Name;
            var refCount = kernel.ReadRefCount(name);
            var size = kernel.ReadSize(name);

            // A value that cannot be read prints as the negative errno, as kmod's do.
            output.Write($"{name,-19} {(size.Succeeded ? size.Value : -size.Errno),8}  {(refCount.Succeeded ? refCount.Value : -refCount.Errno)}");
            var holders = kernel.ReadHolders(name);
            if (!holders.Succeeded)
            {
                output.Flush();
                log.Raw($"libkmod: ERROR: kmod_module_get_holders: could not open '/sys/module/{name}/holders': {Errno.Describe(holders.Errno)}\n");
            }
            else if (holders.Value.Count > 0)
            {
                output.Write(" ").Write(string.Join(',', holders.Value));
            }

            output.Write("\n");
        }

        return 0;
    }
}
