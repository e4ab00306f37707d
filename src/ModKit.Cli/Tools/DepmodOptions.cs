using ModKit.Cli.GetOpt;

namespace ModKit.Cli.Tools;

/// <summary>
/// depmod's command line, as data: the option table and <c>--help</c> text of one kmod release
/// (<c>tools/depmod.c</c>: <c>cmdopts_s</c>, <c>cmdopts</c>, <c>help()</c>), chosen by <see cref="KmodProfile.CommandLines"/>.
/// </summary>
internal sealed class DepmodOptions
{
    private const string Introduction =
        "Usage:\n" +
        "\t{0} -[aA] [options] [forced_version]\n" +
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
        "The following options are useful for people managing distributions:\n";

    private const string SymbolFiles =
        "\t-F, --filesyms=FILE  Use the file instead of the\n" +
        "\t                     current kernel symbols.\n" +
        "\t-E, --symvers=FILE   Use Module.symvers file to check\n" +
        "\t                     symbol versions.\n";

    /// <summary>
    /// kmod 30: no <c>-o</c> and no module directory option; <c>-u/--unresolved-error</c>, <c>-q/--quiet</c>,
    /// <c>-r/--root</c> and <c>-m/--map</c> (no argument) are accepted and ignored with a warning.
    /// </summary>
    /// <summary>ModKit's <c>--json</c> (with <c>-n</c>): long form only, not in the help, which stays kmod's.</summary>
    public const int Json = 1;

    public static DepmodOptions Kmod30 { get; } = new()
    {
        Table = new OptionTable(
            "aAb:C:E:F:euqrvnP:wmVh",
            new LongOption("all", OptionArgument.None, 'a'),
            new LongOption("quick", OptionArgument.None, 'A'),
            new LongOption("basedir", OptionArgument.Required, 'b'),
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
            new LongOption("map", OptionArgument.None, 'm'),
            new LongOption("version", OptionArgument.None, 'V'),
            new LongOption("help", OptionArgument.None, 'h'),
            new LongOption("json", OptionArgument.None, Json)),
        IgnoredOptions = "uqrm",
        HasDirectoryOptions = false,
        HelpText = Introduction +
            "\t-b, --basedir=DIR    Use an image of a module tree.\n" +
            SymbolFiles,
    };

    /// <summary>
    /// kmod 34.2: <c>-m/--moduledir=DIR</c> and <c>-o/--outdir=DIR</c> (kmod 31); the deprecated options are gone
    /// (getopt rejects them).
    /// </summary>
    public static DepmodOptions Kmod34 { get; } = new()
    {
        Table = new OptionTable(
            "aAb:m:o:C:E:F:evnP:wVh",
            new LongOption("all", OptionArgument.None, 'a'),
            new LongOption("quick", OptionArgument.None, 'A'),
            new LongOption("basedir", OptionArgument.Required, 'b'),
            new LongOption("moduledir", OptionArgument.Required, 'm'),
            new LongOption("outdir", OptionArgument.Required, 'o'),
            new LongOption("config", OptionArgument.Required, 'C'),
            new LongOption("symvers", OptionArgument.Required, 'E'),
            new LongOption("filesyms", OptionArgument.Required, 'F'),
            new LongOption("errsyms", OptionArgument.None, 'e'),
            new LongOption("verbose", OptionArgument.None, 'v'),
            new LongOption("show", OptionArgument.None, 'n'),
            new LongOption("dry-run", OptionArgument.None, 'n'),
            new LongOption("symbol-prefix", OptionArgument.Required, 'P'),
            new LongOption("warn", OptionArgument.None, 'w'),
            new LongOption("version", OptionArgument.None, 'V'),
            new LongOption("help", OptionArgument.None, 'h'),
            new LongOption("json", OptionArgument.None, Json)),
        IgnoredOptions = "",
        HasDirectoryOptions = true,
        HelpText = Introduction +
            "\t-b, --basedir=DIR    Root path (default: /).\n" +
            "\t-m, --moduledir=DIR  Module directory (default: /lib/modules).\n" +
            "\t-o, --outdir=DIR     Output root path (default: same as <basedir>).\n" +
            SymbolFiles,
    };

    private DepmodOptions()
    {
    }

    public required OptionTable Table { get; init; }

    /// <summary>Short options (and their long names) that are accepted and ignored with <c>WARNING: Ignored deprecated option</c>.</summary>
    public required string IgnoredOptions { get; init; }

    /// <summary><c>-m</c> names the module directory under the base directory and <c>-o</c> the output root.</summary>
    public required bool HasDirectoryOptions { get; init; }

    /// <summary>The help text, with <c>{0}</c> where the program's name goes.</summary>
    public required string HelpText { get; init; }

    /// <summary>The command line of a release.</summary>
    public static DepmodOptions For(KmodCommandLines release) => release == KmodCommandLines.Kmod30 ? Kmod30 : Kmod34;

    public string Help(string program) => HelpText.Replace("{0}", program, StringComparison.Ordinal);
}
