using ModKit.Cli.GetOpt;

namespace ModKit.Cli.Tools;

/// <summary>
/// <c>lsmod</c> and <c>kmod list</c> (<c>tools/lsmod.c</c>): the loaded modules from <c>/proc/modules</c> in the
/// kernel's order, with size, use count and holders from sysfs. kmod 30's takes no arguments; kmod 34's has
/// options and logs as a tool (<see cref="KmodProfile.LsmodReadsOptions"/>, <see cref="KmodProfile.LsmodLogsAsTool"/>).
/// </summary>
internal static class LsmodTool
{
    public static int Run(ToolContext context, string argv0, IReadOnlyList<string> args) =>
        Run(context, CommandLine.Direct(argv0, args));

    public static int Run(ToolContext context, CommandLine line)
    {
        var profile = context.Profile;
        var log = new ToolLog(line.Program, context.Stderr);
        bool json = false;
        if (!profile.LsmodReadsOptions)
        {
            // kmod 30 counts every argument, even a "--" the kmod front-end read before "list"; ModKit's --json aside.
            json = line.Args is [LsmodOptions.JsonArgument];
            if (line.Args.Count != 0 && !json)
            {
                log.Raw($"Usage: {line.Argv0}\n");
                return 1;
            }
        }
        else if (ReadOptions(context, line, log, ref json) is { } exit)
        {
            return exit;
        }

        bool asTool = profile.LsmodLogsAsTool;

        // libkmod's notes at INFO (-vvv): its context and the tool's logging function, by address.
        if (asTool)
        {
            log.Library(ToolLog.LogInfo, $"custom logging function 0x{typeof(ToolLog).TypeHandle.Value:x} registered");
        }

        int status = List(context, log, asTool, json);
        if (asTool)
        {
            log.Library(ToolLog.LogInfo, $"context 0x{typeof(ToolContext).TypeHandle.Value:x} released");
        }

        return status;
    }

    // kmod 34's options; an exit status when the run ends here (help, version, a bad option or an operand).
    private static int? ReadOptions(ToolContext context, CommandLine line, ToolLog log, ref bool json)
    {
        bool syslog = false;
        var parser = new GetOptParser(line.Argv0, line.Options, LsmodOptions.Table, new StderrWriter(context.Stderr), posixlyCorrect: line.StopAtOperand);
        while (parser.TryNext(out var option))
        {
            if (option.IsError)
            {
                return 1;
            }

            switch (option.Code)
            {
                case 's':
                    syslog = true;
                    break;
                case 'v':
                    log.Verbosity++;
                    break;
                case LsmodOptions.Json:
                    json = true;
                    break;
                case 'h':
                    using (var help = new ToolOutput(context.Stdout))
                    {
                        help.Write(LsmodOptions.Help(line.Program));
                    }

                    return 0;
                case 'V':
                    using (var version = new ToolOutput(context.Stdout))
                    {
                        version.Write(ToolVersion.Text(context.Profile));
                    }

                    return 0;
            }
        }

        log.Open(context, syslog);

        if (parser.Remaining.Count != 0)
        {
            log.Error("too many arguments provided.");
            return 1;
        }

        return null;
    }

    private static int List(ToolContext context, ToolLog log, bool asTool, bool json)
    {
        var kernel = context.Kernel;
        var loaded = kernel.ReadLoadedModules();
        if (!loaded.Succeeded)
        {
            string reason = Errno.Describe(loaded.Errno);
            if (asTool)
            {
                log.Library(ToolLog.LogErr, $"could not open /proc/modules: {reason}");
                log.Error($"could not get list of modules: {reason}");
            }
            else
            {
                log.Raw($"libkmod: ERROR: kmod_module_new_from_loaded: could not open /proc/modules: {reason}\n");
                log.Raw($"Error: could not get list of modules: {reason}\n");
            }

            return 1;
        }

        if (json)
        {
            return ListJson(context, log, asTool, loaded.Value);
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
                string message = $"could not open '/sys/module/{name}/holders': {Errno.Describe(holders.Errno)}";
                if (asTool)
                {
                    log.Library(ToolLog.LogErr, message);
                }
                else
                {
                    log.Raw($"libkmod: ERROR: kmod_module_get_holders: {message}\n");
                }
            }
            else if (holders.Value.Count > 0)
            {
                output.Write(" ").Write(string.Join(',', holders.Value));
            }

            output.Write("\n");
        }

        return 0;
    }

    // --json (schemas/lsmod.schema.json): the same modules, sizes, use counts and holders as the table, with the
    // state and taint flags of /proc/modules. A value that cannot be read is null, and reported as for the table.
    private static int ListJson(ToolContext context, ToolLog log, bool asTool, IReadOnlyList<Kernel.LoadedModule> loaded)
    {
        var kernel = context.Kernel;
        using var json = new JsonOutput(context.Stdout);
        var writer = json.Writer;
        writer.WriteStartArray();
        foreach (var module in loaded)
        {
            string name = module.Name;
            var size = kernel.ReadSize(name);
            var refCount = kernel.ReadRefCount(name);
            var holders = kernel.ReadHolders(name);
            writer.WriteStartObject();
            writer.WriteString("name", name);
            if (size.Succeeded)
            {
                writer.WriteNumber("size", size.Value);
            }
            else
            {
                writer.WriteNull("size");
            }

            if (refCount.Succeeded)
            {
                writer.WriteNumber("refcount", refCount.Value);
            }
            else
            {
                writer.WriteNull("refcount");
            }

            writer.WriteStartArray("holders");
            if (holders.Succeeded)
            {
                foreach (string holder in holders.Value)
                {
                    writer.WriteStringValue(holder);
                }
            }
            else
            {
                string message = $"could not open '/sys/module/{name}/holders': {Errno.Describe(holders.Errno)}";
                if (asTool)
                {
                    log.Library(ToolLog.LogErr, message);
                }
                else
                {
                    log.Raw($"libkmod: ERROR: kmod_module_get_holders: {message}\n");
                }
            }

            writer.WriteEndArray();
            writer.WriteString("state", module.State.Length == 0 ? null : module.State);
            writer.WriteString("taints", module.Taints);
            writer.WriteEndObject();
            json.Checkpoint();
        }

        writer.WriteEndArray();
        return 0;
    }
}
