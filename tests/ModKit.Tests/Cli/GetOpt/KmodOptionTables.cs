using ModKit.Cli.GetOpt;

namespace ModKit.Tests.Cli.GetOpt;

/// <summary>
/// The option tables of kmod 30's tools (tools/*.c), plus synthetic tables for the getopt features
/// kmod does not use, as test vectors for the glibc comparison.
/// </summary>
internal static class KmodOptionTables
{
    private const OptionArgument None = OptionArgument.None;
    private const OptionArgument Required = OptionArgument.Required;
    private const OptionArgument Optional = OptionArgument.Optional;

    public static readonly OptionTable Modinfo = new(
        "adlpn0mF:k:b:Vh",
        new LongOption("author", None, 'a'),
        new LongOption("description", None, 'd'),
        new LongOption("license", None, 'l'),
        new LongOption("parameters", None, 'p'),
        new LongOption("filename", None, 'n'),
        new LongOption("null", None, '0'),
        new LongOption("modname", None, 'm'),
        new LongOption("field", Required, 'F'),
        new LongOption("set-version", Required, 'k'),
        new LongOption("basedir", Required, 'b'),
        new LongOption("version", None, 'V'),
        new LongOption("help", None, 'h'));

    public static readonly OptionTable Modprobe = new(
        "arw:RibfDcnC:d:S:sqvVh",
        new LongOption("all", None, 'a'),
        new LongOption("remove", None, 'r'),
        new LongOption("remove-dependencies", None, 5),
        new LongOption("remove-holders", None, 5),
        new LongOption("wait", Required, 'w'),
        new LongOption("resolve-alias", None, 'R'),
        new LongOption("first-time", None, 3),
        new LongOption("ignore-install", None, 'i'),
        new LongOption("ignore-remove", None, 'i'),
        new LongOption("use-blacklist", None, 'b'),
        new LongOption("force", None, 'f'),
        new LongOption("force-modversion", None, 2),
        new LongOption("force-vermagic", None, 1),
        new LongOption("show-depends", None, 'D'),
        new LongOption("showconfig", None, 'c'),
        new LongOption("show-config", None, 'c'),
        new LongOption("show-modversions", None, 4),
        new LongOption("dump-modversions", None, 4),
        new LongOption("show-exports", None, 6),
        new LongOption("dry-run", None, 'n'),
        new LongOption("show", None, 'n'),
        new LongOption("config", Required, 'C'),
        new LongOption("dirname", Required, 'd'),
        new LongOption("set-version", Required, 'S'),
        new LongOption("syslog", None, 's'),
        new LongOption("quiet", None, 'q'),
        new LongOption("verbose", None, 'v'),
        new LongOption("version", None, 'V'),
        new LongOption("help", None, 'h'));

    public static readonly OptionTable Depmod = new(
        "aAb:C:E:F:euqrvnP:wmVh",
        new LongOption("all", None, 'a'),
        new LongOption("quick", None, 'A'),
        new LongOption("basedir", Required, 'b'),
        new LongOption("config", Required, 'C'),
        new LongOption("symvers", Required, 'E'),
        new LongOption("filesyms", Required, 'F'),
        new LongOption("errsyms", None, 'e'),
        new LongOption("unresolved-error", None, 'u'),
        new LongOption("quiet", None, 'q'),
        new LongOption("root", None, 'r'),
        new LongOption("verbose", None, 'v'),
        new LongOption("show", None, 'n'),
        new LongOption("dry-run", None, 'n'),
        new LongOption("symbol-prefix", Required, 'P'),
        new LongOption("warn", None, 'w'),
        new LongOption("map", None, 'm'),
        new LongOption("version", None, 'V'),
        new LongOption("help", None, 'h'));

    public static readonly OptionTable Insmod = new(
        "psfVh",
        new LongOption("version", None, 'V'),
        new LongOption("help", None, 'h'));

    // The front-end stops at the first non-option, the subcommand's name.
    public static readonly OptionTable Kmod = new(
        "+hV",
        new LongOption("help", None, 'h'),
        new LongOption("version", None, 'V'));

    // Optional arguments, and abbreviations whose candidates partly mean the same option.
    public static readonly OptionTable OptionalArguments = new(
        "o::r:nc",
        new LongOption("opt", Optional, 'o'),
        new LongOption("req", Required, 'r'),
        new LongOption("none", None, 'n'),
        new LongOption("color", None, 'c'),
        new LongOption("colour", None, 'c'),
        new LongOption("column", Required, 'c'),
        new LongOption("col-x", None, 'c'));

    // A leading ':' silences the messages and returns ':' for a missing argument.
    public static readonly OptionTable Colon = new(
        ":a:b",
        new LongOption("alpha", Required, 'a'),
        new LongOption("beta", None, 'b'));

    // POSIX "-W name" for "--name".
    public static readonly OptionTable WordOption = new(
        "W;ab:",
        new LongOption("all", None, 'a'),
        new LongOption("bravo", Required, 'b'),
        new LongOption("brief", None, 'B'));

    // A leading '-' returns non-options in place, as code 1.
    public static readonly OptionTable InOrder = new(
        "-ab:",
        new LongOption("all", None, 'a'));
}
