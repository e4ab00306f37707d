using ModKit.Cli.GetOpt;

namespace ModKit.Cli.Tools;

/// <summary>
/// modprobe's command line, as data (<c>tools/modprobe.c</c>): the option table is the same in kmod 30 and
/// 34.2; the help differs in one line (<see cref="KmodProfile.ModprobeWaitHelp"/>).
/// </summary>
internal static class ModprobeOptions
{
    /// <summary>Codes of the options that only have a long form.</summary>
    public const int ForceVermagic = 1, ForceModversion = 2, FirstTime = 3, ShowModversions = 4, RemoveHolders = 5, ShowExports = 6;

    /// <summary>ModKit's <c>--json</c> (with -D, -R or -c): long form only, not in the help, which stays kmod's.</summary>
    public const int Json = 7;

    public static readonly OptionTable Table = new(
        "arw:RibfDcnC:d:S:sqvVh",
        new LongOption("all", OptionArgument.None, 'a'),
        new LongOption("remove", OptionArgument.None, 'r'),
        new LongOption("remove-dependencies", OptionArgument.None, RemoveHolders),
        new LongOption("remove-holders", OptionArgument.None, RemoveHolders),
        new LongOption("wait", OptionArgument.Required, 'w'),
        new LongOption("resolve-alias", OptionArgument.None, 'R'),
        new LongOption("first-time", OptionArgument.None, FirstTime),
        new LongOption("ignore-install", OptionArgument.None, 'i'),
        new LongOption("ignore-remove", OptionArgument.None, 'i'),
        new LongOption("use-blacklist", OptionArgument.None, 'b'),
        new LongOption("force", OptionArgument.None, 'f'),
        new LongOption("force-modversion", OptionArgument.None, ForceModversion),
        new LongOption("force-vermagic", OptionArgument.None, ForceVermagic),
        new LongOption("show-depends", OptionArgument.None, 'D'),
        new LongOption("showconfig", OptionArgument.None, 'c'),
        new LongOption("show-config", OptionArgument.None, 'c'),
        new LongOption("show-modversions", OptionArgument.None, ShowModversions),
        new LongOption("dump-modversions", OptionArgument.None, ShowModversions),
        new LongOption("show-exports", OptionArgument.None, ShowExports),
        new LongOption("dry-run", OptionArgument.None, 'n'),
        new LongOption("show", OptionArgument.None, 'n'),
        new LongOption("config", OptionArgument.Required, 'C'),
        new LongOption("dirname", OptionArgument.Required, 'd'),
        new LongOption("set-version", OptionArgument.Required, 'S'),
        new LongOption("syslog", OptionArgument.None, 's'),
        new LongOption("quiet", OptionArgument.None, 'q'),
        new LongOption("verbose", OptionArgument.None, 'v'),
        new LongOption("version", OptionArgument.None, 'V'),
        new LongOption("help", OptionArgument.None, 'h'),
        new LongOption("json", OptionArgument.None, Json));

    public static string Help(string program, KmodProfile profile) =>
        "Usage:\n" +
        $"\t{program} [options] [-i] [-b] modulename\n" +
        $"\t{program} [options] -a [-i] [-b] modulename [modulename...]\n" +
        $"\t{program} [options] -r [-i] modulename\n" +
        $"\t{program} [options] -r -a [-i] modulename [modulename...]\n" +
        $"\t{program} [options] -c\n" +
        $"\t{program} [options] --dump-modversions filename\n" +
        "Management Options:\n" +
        "\t-a, --all                   Consider every non-argument to\n" +
        "\t                            be a module name to be inserted\n" +
        "\t                            or removed (-r)\n" +
        "\t-r, --remove                Remove modules instead of inserting\n" +
        "\t    --remove-dependencies   Deprecated: use --remove-holders\n" +
        "\t    --remove-holders        Also remove module holders (use together with -r)\n" +
        $"\t{profile.ModprobeWaitHelp}           When removing a module, wait up to MSEC for\n" +
        "\t                            module's refcount to become 0 so it can be\n" +
        "\t                            removed (use together with -r)\n" +
        "\t    --first-time            Fail if module already inserted or removed\n" +
        "\t-i, --ignore-install        Ignore install commands\n" +
        "\t-i, --ignore-remove         Ignore remove commands\n" +
        "\t-b, --use-blacklist         Apply blacklist to resolved alias.\n" +
        "\t-f, --force                 Force module insertion or removal.\n" +
        "\t                            implies --force-modversions and\n" +
        "\t                            --force-vermagic\n" +
        "\t    --force-modversion      Ignore module's version\n" +
        "\t    --force-vermagic        Ignore module's version magic\n" +
        "\n" +
        "Query Options:\n" +
        "\t-R, --resolve-alias         Only lookup and print alias and exit\n" +
        "\t-D, --show-depends          Only print module dependencies and exit\n" +
        "\t-c, --showconfig            Print out known configuration and exit\n" +
        "\t-c, --show-config           Same as --showconfig\n" +
        "\t    --show-modversions      Dump module symbol version and exit\n" +
        "\t    --dump-modversions      Same as --show-modversions\n" +
        "\t    --show-exports          Only print module exported symbol versions and exit\n" +
        "\n" +
        "General Options:\n" +
        "\t-n, --dry-run               Do not execute operations, just print out\n" +
        "\t-n, --show                  Same as --dry-run\n" +
        "\t-C, --config=FILE           Use FILE instead of default search paths\n" +
        "\t-d, --dirname=DIR           Use DIR as filesystem root for /lib/modules\n" +
        "\t-S, --set-version=VERSION   Use VERSION instead of `uname -r`\n" +
        "\t-s, --syslog                print to syslog, not stderr\n" +
        "\t-q, --quiet                 disable messages\n" +
        "\t-v, --verbose               enables more messages\n" +
        "\t-V, --version               show version\n" +
        "\t-h, --help                  show this help\n";

    /// <summary>
    /// Splits <c>MODPROBE_OPTIONS</c> into arguments as kmod's <c>prepend_options_from_env</c> does: on
    /// each space (so two spaces give an empty argument); a word that starts with a quote runs to the
    /// matching quote, which are dropped; a quoted part inside a word loses its quotes and keeps its spaces.
    /// </summary>
    public static List<string> SplitEnvironmentOptions(string value)
    {
        var words = new List<string>();
        var text = new List<char>(value);
        int start = 0;
        int quote = -1;
        int s = 0;
        for (; s < text.Count; s++)
        {
            char c = text[s];
            if (quote < 0)
            {
                if (c == ' ')
                {
                    words.Add(new string(text.GetRange(start, s - start).ToArray()));
                    start = s + 1;
                }
                else if (c is '"' or '\'')
                {
                    quote = s;
                }
            }
            else if (c == text[quote])
            {
                if (quote == start)
                {
                    words.Add(new string(text.GetRange(start + 1, s - start - 1).ToArray()));
                    start = s + 1;
                }
                else
                {
                    // Both quote characters disappear; scanning goes on after the closing one.
                    text.RemoveAt(s);
                    text.RemoveAt(quote);
                    s -= 2;
                }

                quote = -1;
            }
        }

        if (start < s)
        {
            words.Add(new string(text.GetRange(start, s - start).ToArray()));
        }

        return words;
    }
}
