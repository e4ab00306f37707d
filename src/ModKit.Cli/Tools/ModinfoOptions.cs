using ModKit.Cli.GetOpt;

namespace ModKit.Cli.Tools;

/// <summary>
/// modinfo's command line, as data (kmod 30 <c>tools/modinfo.c</c>: <c>cmdopts_s</c>, <c>cmdopts</c>), plus ModKit's
/// <c>--json</c> and <c>--verify=CERT[,CERT...]</c> (long forms only, so no letter of kmod's is taken; not in the help,
/// which stays kmod's).
/// </summary>
internal static class ModinfoOptions
{
    /// <summary>The code of <c>--json</c>, which has no short form.</summary>
    public const int Json = 1;

    /// <summary>The code of <c>--verify</c>, which has no short form.</summary>
    public const int Verify = 2;

    public static readonly OptionTable Table = new(
        "adlpn0mF:k:b:Vh",
        new LongOption("author", OptionArgument.None, 'a'),
        new LongOption("description", OptionArgument.None, 'd'),
        new LongOption("license", OptionArgument.None, 'l'),
        new LongOption("parameters", OptionArgument.None, 'p'),
        new LongOption("filename", OptionArgument.None, 'n'),
        new LongOption("null", OptionArgument.None, '0'),
        new LongOption("modname", OptionArgument.None, 'm'),
        new LongOption("field", OptionArgument.Required, 'F'),
        new LongOption("set-version", OptionArgument.Required, 'k'),
        new LongOption("basedir", OptionArgument.Required, 'b'),
        new LongOption("version", OptionArgument.None, 'V'),
        new LongOption("help", OptionArgument.None, 'h'),
        new LongOption("json", OptionArgument.None, Json),
        new LongOption("verify", OptionArgument.Required, Verify));

    public static string Help(string program) =>
        "Usage:\n" +
        $"\t{program} [options] <modulename|filename> [args]\n" +
        "Options:\n" +
        "\t-a, --author                Print only 'author'\n" +
        "\t-d, --description           Print only 'description'\n" +
        "\t-l, --license               Print only 'license'\n" +
        "\t-p, --parameters            Print only 'parm'\n" +
        "\t-n, --filename              Print only 'filename'\n" +
        "\t-0, --null                  Use \\0 instead of \\n\n" +
        "\t-m, --modname               Handle argument as module name instead of alias or filename\n" +
        "\t-F, --field=FIELD           Print only provided FIELD\n" +
        "\t-k, --set-version=VERSION   Use VERSION instead of `uname -r`\n" +
        "\t-b, --basedir=DIR           Use DIR as filesystem root for /lib/modules\n" +
        "\t-V, --version               Show version\n" +
        "\t-h, --help                  Show this help\n";
}
