using ModKit.Cli.GetOpt;

namespace ModKit.Cli.Tools;

/// <summary>
/// lsmod's command line where it has one (<see cref="KmodProfile.LsmodReadsOptions"/>, kmod 34 <c>tools/lsmod.c</c>);
/// kmod 30's lsmod takes no arguments at all. ModKit adds <c>--json</c> (long form only, not in the help), which
/// the kmod 30 profile also accepts as the one argument.
/// </summary>
internal static class LsmodOptions
{
    /// <summary>The code of <c>--json</c>, which has no short form.</summary>
    public const int Json = 1;

    /// <summary>The one argument kmod 30's lsmod accepts in ModKit.</summary>
    public const string JsonArgument = "--json";

    public static readonly OptionTable Table = new(
        "svVh",
        new LongOption("syslog", OptionArgument.None, 's'),
        new LongOption("verbose", OptionArgument.None, 'v'),
        new LongOption("version", OptionArgument.None, 'V'),
        new LongOption("help", OptionArgument.None, 'h'),
        new LongOption("json", OptionArgument.None, Json));

    public static string Help(string program) =>
        "Usage:\n" +
        $"\t{program} [options]\n" +
        "Options:\n" +
        "\t-s, --syslog      print to syslog, not stderr\n" +
        "\t-v, --verbose     enables more messages\n" +
        "\t-V, --version     show version\n" +
        "\t-h, --help        show this help\n";
}
