using ModKit.Cli.GetOpt;

namespace ModKit.Cli.Tools;

/// <summary>
/// lsmod's command line where it has one (<see cref="KmodProfile.LsmodReadsOptions"/>, kmod 34 <c>tools/lsmod.c</c>);
/// kmod 30's lsmod takes no arguments at all.
/// </summary>
internal static class LsmodOptions
{
    public static readonly OptionTable Table = new(
        "svVh",
        new LongOption("syslog", OptionArgument.None, 's'),
        new LongOption("verbose", OptionArgument.None, 'v'),
        new LongOption("version", OptionArgument.None, 'V'),
        new LongOption("help", OptionArgument.None, 'h'));

    public static string Help(string program) =>
        "Usage:\n" +
        $"\t{program} [options]\n" +
        "Options:\n" +
        "\t-s, --syslog      print to syslog, not stderr\n" +
        "\t-v, --verbose     enables more messages\n" +
        "\t-V, --version     show version\n" +
        "\t-h, --help        show this help\n";
}
