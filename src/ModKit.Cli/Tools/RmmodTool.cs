using ModKit.Cli.GetOpt;
using ModKit.Kernel;
using ModKit.Modules;

namespace ModKit.Cli.Tools;

/// <summary>
/// <c>rmmod</c>: unloads modules given by name or path, with kmod's in-use checks, messages and exit statuses
/// (<c>tools/rmmod.c</c>, <c>libkmod-module.c: kmod_module_remove_module</c>).
/// </summary>
internal static class RmmodTool
{
    public static int Run(ToolContext context, string argv0, IReadOnlyList<string> args)
    {
        var log = new ToolLog(ModuleName.BaseName(argv0), context.Stderr);
        bool force = false;
        bool syslog = false;
        var profile = context.Profile;
        var parser = new GetOptParser(argv0, args, RmmodOptions.For(profile.CommandLines), new StderrWriter(context.Stderr));
        while (parser.TryNext(out var option))
        {
            switch (option.Code)
            {
                case 'f': force = true; break;
                case 's': syslog = true; break;
                case 'v': log.Verbosity++; break;
                case 'h':
                    using (var output = new ToolOutput(context.Stdout))
                    {
                        output.Write(RmmodOptions.Help(profile.CommandLines, log.Program));
                    }

                    return 0;
                case 'V':
                    using (var output = new ToolOutput(context.Stdout))
                    {
                        output.Write(ToolVersion.Text(profile));
                    }

                    return 0;
                case '?':
                    return 1;
                default:
                    // kmod 30 lists -w in its option string but no longer handles it.
                    log.Error($"unexpected getopt_long() value '{(char)option.Code}'.");
                    return 1;
            }
        }

        log.Open(context, syslog);

        var names = parser.Remaining;
        if (names.Count == 0)
        {
            log.Error("missing module name.");
            return 1;
        }

        var kernel = context.Kernel;
        var modules = new ModuleDirectory(context.UnderRoot("/lib/modules/" + context.KernelRelease()));
        int failures = 0;
        foreach (string argument in names)
        {
            // An existing file is a path (its base name is the module), anything else a module name.
            // (stat("") fails, so the empty argument is a name.)
            bool isPath = argument.Length > 0 && (File.Exists(context.MakeAbsolute(argument)) || Directory.Exists(context.MakeAbsolute(argument)));
            // Only a path ending in '/' names no module; "" and "." are the (empty) module name "", as in kmod.
            string? name = isPath ? ModuleName.FromPath(argument) : ModuleName.Normalize(argument);
            if (name is null)
            {
                // kmod 30 stops here and still exits 0; ModKit reports the failure (as kmod 34 does).
                log.Error($"could not use module {argument}: {Errno.Describe(Errno.ENOENT)}");
                failures++;
                break;
            }

            if (!force && !CheckNotInUse(kernel, log, name, builtin: !isPath && modules.IsBuiltin(name), profile.RmmodLogsHoldersInOneMessage))
            {
                failures++;
                continue;
            }

            var flags = ModuleUnloadFlags.NonBlocking | (force ? ModuleUnloadFlags.Force : 0);
            var result = kernel.UnloadModule(name, flags);
            if (!result.Succeeded)
            {
                string reason = Errno.Describe(result.Errno);
                log.Library(ToolLog.LogErr, $"could not remove '{name}': {reason}");
                log.Error($"could not remove module {argument}: {reason}");
                failures++;
            }
        }

        return failures == 0 ? 0 : 1;
    }

    // check_module_inuse: builtin, not loaded, holders, reference count, in that order.
    private static bool CheckNotInUse(IKernel kernel, ToolLog log, string name, bool builtin, bool holdersInOneMessage)
    {
        if (builtin)
        {
            log.Error($"Module {name} is builtin.");
            return false;
        }

        if (!kernel.ReadInitState(name).Succeeded)
        {
            log.Error($"Module {name} is not currently loaded");
            return false;
        }

        var holders = kernel.ReadHolders(name);
        if (!holders.Succeeded)
        {
            log.Library(ToolLog.LogErr, $"could not open '/sys/module/{name}/holders': {Errno.Describe(holders.Errno)}");
        }
        else if (holders.Value.Count > 0)
        {
            string names = string.Concat(holders.Value.Select(h => " " + h));
            if (holdersInOneMessage)
            {
                // Debian's kmod 34.2: one message, names and all.
                log.ErrorWithoutNewline($"Module {name} is in use by:{names}\n");
            }
            else
            {
                // kmod 30 prints the names straight to stderr.
                log.ErrorWithoutNewline($"Module {name} is in use by:");
                log.Raw(names + "\n");
            }

            return false;
        }

        var refCount = kernel.ReadRefCount(name);
        if (refCount.Succeeded && refCount.Value > 0)
        {
            log.Error($"Module {name} is in use");
            return false;
        }

        if (!refCount.Succeeded)
        {
            if (refCount.Errno == Errno.ENOENT)
            {
                log.Error("Module unloading is not supported");
            }

            return false;
        }

        return true;
    }
}
