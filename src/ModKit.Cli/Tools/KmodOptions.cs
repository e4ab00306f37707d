using ModKit.Cli.GetOpt;

namespace ModKit.Cli.Tools;

/// <summary>The <c>kmod</c> front-end's command line and help, as data (<c>tools/kmod.c</c>).</summary>
internal static class KmodOptions
{
    // '+': options end at the command, whose own options follow it.
    public static readonly OptionTable Table = new(
        "+hV",
        new LongOption("help", OptionArgument.None, 'h'),
        new LongOption("version", OptionArgument.None, 'V'));

    // The tools kmod also is when run through a link of their name, in its help's order.
    private static readonly string[] CompatibilityTools = ["lsmod", "rmmod", "insmod", "modinfo", "modprobe", "depmod"];

    public static string Help(string program, KmodProfile profile) =>
        "kmod - Manage kernel modules: list, load, unload, etc\n" +
        "Usage:\n" +
        $"\t{program} [options] command [command_options]\n\n" +
        "Options:\n" +
        "\t-V, --version     show version\n" +
        "\t-h, --help        show this help\n\n" +
        "Commands:\n" +
        Command("help", profile.HelpCommandSummary) +
        Command("list", "list currently loaded modules") +
        Command("static-nodes", profile.StaticNodesCommandSummary) +
        "\nkmod also handles gracefully if called from following symlinks:\n" +
        string.Concat(CompatibilityTools.Select(tool => Command(tool, $"compat {tool} command")));

    private static string Command(string name, string summary) => $"  {name,-12} {summary}\n";
}
