using ModKit.Cli.GetOpt;

namespace ModKit.Cli.Tools;

/// <summary>
/// insmod's command line, as data: kmod 30's (<c>-p</c> and <c>-f</c>, <c>-V</c>, <c>-h</c>) with kmod 34's
/// <c>--force</c>, <c>-s</c>, <c>-v</c> and master's <c>--force-modversion</c>, <c>--force-vermagic</c>
/// (<c>tools/insmod.c</c>).
/// </summary>
internal static class InsmodOptions
{
    public const int ForceVermagic = 1;
    public const int ForceModversion = 2;

    public static readonly OptionTable Table = new(
        "psfvVh",
        new LongOption("force", OptionArgument.None, 'f'),
        new LongOption("force-modversion", OptionArgument.None, ForceModversion),
        new LongOption("force-vermagic", OptionArgument.None, ForceVermagic),
        new LongOption("syslog", OptionArgument.None, 's'),
        new LongOption("verbose", OptionArgument.None, 'v'),
        new LongOption("version", OptionArgument.None, 'V'),
        new LongOption("help", OptionArgument.None, 'h'));

    public static string Help(string program) =>
        "Usage:\n" +
        $"\t{program} [options] filename [module options]\n" +
        "Options:\n" +
        "\t-f, --force              DANGEROUS: forces a module load, may cause\n" +
        "\t                         data corruption and crash your machine.\n" +
        "\t                         implies --force-modversion and\n" +
        "\t                         --force-vermagic\n" +
        "\t    --force-modversion   Ignore module's version\n" +
        "\t    --force-vermagic     Ignore module's version magic\n" +
        "\t-s, --syslog             print to syslog, not stderr\n" +
        "\t-v, --verbose            enables more messages\n" +
        "\t-V, --version            show version\n" +
        "\t-h, --help               show this help\n";
}
