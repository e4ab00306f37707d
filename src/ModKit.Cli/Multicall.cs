using ModKit.Cli.Tools;
using ModKit.Modules;

namespace ModKit.Cli;

/// <summary>
/// Chooses the tool from the name the program was invoked as (kmod's <c>tools/kmod.c</c>): a tool's name
/// (modinfo, ...), <c>kmod</c> for kmod's front-end, <c>modkit</c> for ModKit's own; under any other name the
/// program does nothing and exits as kmod does (<see cref="KmodProfile.UnknownProgramExitStatus"/>).
/// </summary>
internal static class Multicall
{
    private delegate int Tool(ToolContext context, string argv0, IReadOnlyList<string> args);

    // A switch rather than a dictionary: nothing to build before the one lookup a run makes.
    private static Tool? FindTool(string name) => name switch
    {
        "modinfo" => ModinfoTool.Run,
        "insmod" => InsmodTool.Run,
        "rmmod" => RmmodTool.Run,
        "lsmod" => LsmodTool.Run,
        "depmod" => DepmodTool.Run,
        "modprobe" => ModprobeTool.Run,
        "kmod" => KmodTool.Run,
        _ => null,
    };

    private delegate int Command(ToolContext context, CommandLine line);

    // Commands only the front-ends know (kmod's "kmod list").
    private static Command? FindCommand(string name) => name switch
    {
        "list" => LsmodTool.Run,
        "static-nodes" => StaticNodesTool.Run,
        _ => null,
    };

    public static int Run(ToolContext context, string argv0, IReadOnlyList<string> args)
    {
        string name = ModuleName.BaseName(argv0);
        if (FindTool(name) is { } tool)
        {
            return tool(context, argv0, args);
        }

        return name switch
        {
            // The published file keeps its build name before build.sh installs it as modkit.
            "modkit" or "ModKit.Cli" => FrontEnd(context, name, args),
            _ => context.Profile.UnknownProgramExitStatus,
        };
    }

    // modkit [--help|--version] <tool> [args]
    private static int FrontEnd(ToolContext context, string name, IReadOnlyList<string> args)
    {
        using var output = new ToolOutput(context.Stdout);
        if (args.Count == 0)
        {
            new ToolLog(name, context.Stderr).Raw("missing command\n");
            output.Write(Usage(name, context.Profile));
            return 1;
        }

        string command = args[0];
        switch (command)
        {
            case "-h" or "--help" or "help":
                output.Write(Usage(name, context.Profile));
                return 0;
            case "-V" or "--version":
                output.Write($"modkit version {ToolVersion.ModKitVersion}\n").Write(ToolVersion.Text(context.Profile));
                return 0;
        }

        if (FindTool(command) is { } tool)
        {
            output.Flush();
            return tool(context, command, args.Skip(1).ToArray());
        }

        if (FindCommand(command) is { } run)
        {
            output.Flush();
            return run(context, new CommandLine(name, command, [.. args.Skip(1)]));
        }

        new ToolLog(name, context.Stderr).Raw($"{name}: ERROR: invalid command '{command}'\n");
        output.Write(Usage(name, context.Profile));
        return 1;
    }

    private static string Usage(string name, KmodProfile profile) =>
        $"modkit - the Linux kernel module tools, compatible with kmod {profile.Version}\n" +
        "Usage:\n" +
        $"\t{name} [options] <tool> [tool options]\n" +
        "\tor invoke the binary through a link named after the tool (modinfo, ...)\n" +
        "Options:\n" +
        "\t-V, --version     show version\n" +
        "\t-h, --help        show this help\n" +
        "Tools:\n" +
        "\tlist              list currently loaded modules\n" +
        "\tstatic-nodes      output the static device nodes of the running kernel's modules\n" +
        "\tinsmod            insert a module file into the kernel\n" +
        "\trmmod             remove modules from the kernel\n" +
        "\tlsmod             list currently loaded modules\n" +
        "\tmodinfo           print information about kernel modules\n" +
        "\tmodprobe          add or remove modules with their dependencies\n" +
        "\tdepmod            generate modules.dep and the module index files\n" +
        "\tkmod              kmod's front-end: help, list, static-nodes\n";
}
