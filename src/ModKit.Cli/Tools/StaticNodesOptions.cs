using ModKit.Cli.GetOpt;
using ModKit.Devices;

namespace ModKit.Cli.Tools;

/// <summary><c>kmod static-nodes</c>' command line, as data (<c>tools/static-nodes.c</c>, the same in kmod 30 and 34).</summary>
internal static class StaticNodesOptions
{
    public static readonly OptionTable Table = new(
        "o:f:h",
        new LongOption("output", OptionArgument.Required, 'o'),
        new LongOption("format", OptionArgument.Required, 'f'),
        new LongOption("help", OptionArgument.None, 'h'));

    public static string Help(string program) =>
        "Usage:\n" +
        $"\t{program} static-nodes [options]\n" +
        "\n" +
        "kmod static-nodes outputs the static-node information of the currently running kernel.\n" +
        "\n" +
        "Options:\n" +
        "\t-f, --format=FORMAT  choose format to use: see \"Formats\"\n" +
        "\t-o, --output=FILE    write output to file\n" +
        "\t-h, --help           show this help\n" +
        "\n" +
        "Formats:\n" +
        string.Concat(StaticNodeWriter.Names.Select(entry => $"\t{entry.Name,-12} {Describe(entry.Format)}\n"));

    private static string Describe(StaticNodeFormat format) => format switch
    {
        StaticNodeFormat.Human => "(default) a human readable format. Do not parse.",
        StaticNodeFormat.Tmpfiles => "the tmpfiles.d(5) format used by systemd-tmpfiles.",
        _ => "the modules.devname format.",
    };
}
