using ModKit.Cli.GetOpt;

namespace ModKit.Cli.Tools;

/// <summary>rmmod's command line, as data (kmod 30 <c>tools/rmmod.c</c>, whose option string still lists <c>-w</c>).</summary>
internal static class RmmodOptions
{
    public static readonly OptionTable Table = new(
        "fsvVwh",
        new LongOption("force", OptionArgument.None, 'f'),
        new LongOption("syslog", OptionArgument.None, 's'),
        new LongOption("verbose", OptionArgument.None, 'v'),
        new LongOption("version", OptionArgument.None, 'V'),
        new LongOption("help", OptionArgument.None, 'h'));

    public static string Help(string program) =>
        "Usage:\n" +
        $"\t{program} [options] modulename ...\n" +
        "Options:\n" +
        "\t-f, --force       forces a module unload and may crash your\n" +
        "\t                  machine. This requires Forced Module Removal\n" +
        "\t                  option in your kernel. DANGEROUS\n" +
        "\t-s, --syslog      print to syslog, not stderr\n" +
        "\t-v, --verbose     enables more messages\n" +
        "\t-V, --version     show version\n" +
        "\t-h, --help        show this help\n";
}
