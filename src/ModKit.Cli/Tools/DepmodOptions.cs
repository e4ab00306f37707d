using ModKit.Cli.GetOpt;

namespace ModKit.Cli.Tools;

/// <summary>
/// depmod's command line, as data: kmod 30's options (<c>tools/depmod.c</c>: <c>cmdopts_s</c>, <c>cmdopts</c>) with
/// kmod ≥ 34's <c>-m/--moduledir</c> (in kmod 30 <c>-m/--map</c> was an ignored no-op) and kmod ≥ 31's <c>-o/--outdir</c>.
/// </summary>
internal static class DepmodOptions
{
    public static readonly OptionTable Table = new(
        "aAb:m:o:C:E:F:euqrvnP:wVh",
        new LongOption("all", OptionArgument.None, 'a'),
        new LongOption("quick", OptionArgument.None, 'A'),
        new LongOption("basedir", OptionArgument.Required, 'b'),
        new LongOption("moduledir", OptionArgument.Required, 'm'),
        new LongOption("outdir", OptionArgument.Required, 'o'),
        new LongOption("config", OptionArgument.Required, 'C'),
        new LongOption("symvers", OptionArgument.Required, 'E'),
        new LongOption("filesyms", OptionArgument.Required, 'F'),
        new LongOption("errsyms", OptionArgument.None, 'e'),
        new LongOption("unresolved-error", OptionArgument.None, 'u'),
        new LongOption("quiet", OptionArgument.None, 'q'),
        new LongOption("root", OptionArgument.None, 'r'),
        new LongOption("verbose", OptionArgument.None, 'v'),
        new LongOption("show", OptionArgument.None, 'n'),
        new LongOption("dry-run", OptionArgument.None, 'n'),
        new LongOption("symbol-prefix", OptionArgument.Required, 'P'),
        new LongOption("warn", OptionArgument.None, 'w'),
        new LongOption("version", OptionArgument.None, 'V'),
        new LongOption("help", OptionArgument.None, 'h'));

    public static string Help(string program) =>
        "Usage:\n" +
        $"\t{program} -[aA] [options] [forced_version]\n" +
        "\n" +
        "If no arguments (except options) are given, \"depmod -a\" is assumed\n" +
        "\n" +
        "depmod will output a dependency list suitable for the modprobe utility.\n" +
        "\n" +
        "Options:\n" +
        "\t-a, --all            Probe all modules\n" +
        "\t-A, --quick          Only does the work if there's a new module\n" +
        "\t-e, --errsyms        Report not supplied symbols\n" +
        "\t-n, --show           Write the dependency file on stdout only\n" +
        "\t-P, --symbol-prefix  Architecture symbol prefix\n" +
        "\t-C, --config=PATH    Read configuration from PATH\n" +
        "\t-v, --verbose        Enable verbose mode\n" +
        "\t-w, --warn           Warn on duplicates\n" +
        "\t-V, --version        show version\n" +
        "\t-h, --help           show this help\n" +
        "\n" +
        "The following options are useful for people managing distributions:\n" +
        "\t-b, --basedir=DIR    Use an image of a module tree.\n" +
        "\t-m, --moduledir=DIR  Use DIR as the module directory under the base\n" +
        "\t                     directory (default /lib/modules).\n" +
        "\t-o, --outdir=DIR     Output directory for generated files.\n" +
        "\t-F, --filesyms=FILE  Use the file instead of the\n" +
        "\t                     current kernel symbols.\n" +
        "\t-E, --symvers=FILE   Use Module.symvers file to check\n" +
        "\t                     symbol versions.\n";
}
