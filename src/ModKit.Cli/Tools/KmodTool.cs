using ModKit.Cli.GetOpt;
using ModKit.Modules;

namespace ModKit.Cli.Tools;

/// <summary>
/// The program run as <c>kmod</c> (<c>tools/kmod.c</c>): <c>-h</c>/<c>--help</c> and <c>-V</c>/<c>--version</c>,
/// then one command: <c>help</c>, <c>list</c> (lsmod) or <c>static-nodes</c>.
/// </summary>
internal static class KmodTool
{
    public static int Run(ToolContext context, string argv0, IReadOnlyList<string> args)
    {
        string program = ModuleName.BaseName(argv0);
        var parser = new GetOptParser(argv0, args, KmodOptions.Table, new StderrWriter(context.Stderr));
        while (parser.TryNext(out var option))
        {
            if (option.IsError)
            {
                return 1;
            }

            switch (option.Code)
            {
                case 'h':
                    return Help(context, program);
                case 'V':
                    using (var version = new ToolOutput(context.Stdout))
                    {
                        version.Write(ToolVersion.Text(context.Profile));
                    }

                    return 0;
            }
        }

        var log = new ToolLog(program, context.Stderr);
        if (parser.Index >= args.Count)
        {
            log.Raw("missing command\n");
            Help(context, program);
            return 1;
        }

        // The command gets the front-end's argv moved on by one: its argv[0] is the first argument (the
        // command, or a "--" before it), and getopt goes on after the command, in the front-end's order.
        string command = args[parser.Index];
        var line = new CommandLine(program, args[0], [.. args.Skip(1)], parser.Index, StopAtOperand: true);
        switch (command)
        {
            case "help":
                return Help(context, context.Profile.HelpCommandNamesItself ? ModuleName.BaseName(line.Argv0) : program);
            case "list":
                return LsmodTool.Run(context, line);
            case "static-nodes":
                return StaticNodesTool.Run(context, line);
        }

        log.Raw($"invalid command '{command}'\n");
        Help(context, program);
        return 1;
    }

    private static int Help(ToolContext context, string program)
    {
        using var output = new ToolOutput(context.Stdout);
        output.Write(KmodOptions.Help(program, context.Profile));
        return 0;
    }
}
