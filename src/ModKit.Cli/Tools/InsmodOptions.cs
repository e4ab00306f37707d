using ModKit.Cli.GetOpt;

namespace ModKit.Cli.Tools;

/// <summary>
/// insmod's command line, as data (<c>tools/insmod.c</c>): kmod 30's accepts <c>-p</c> and <c>-s</c> as
/// no-ops and <c>-f</c>, and lists only <c>-V</c> and <c>-h</c>; kmod 34's has <c>-f/--force</c>,
/// <c>-s/--syslog</c>, <c>-v/--verbose</c>.
/// </summary>
internal static class InsmodOptions
{
    public static readonly OptionTable Kmod30 = new(
        "psfVh",
        new LongOption("version", OptionArgument.None, 'V'),
        new LongOption("help", OptionArgument.None, 'h'));

    public static readonly OptionTable Kmod34 = new(
        "fsvVh",
        new LongOption("force", OptionArgument.None, 'f'),
        new LongOption("syslog", OptionArgument.None, 's'),
        new LongOption("verbose", OptionArgument.None, 'v'),
        new LongOption("version", OptionArgument.None, 'V'),
        new LongOption("help", OptionArgument.None, 'h'));

    public static OptionTable For(KmodCommandLines release) => release == KmodCommandLines.Kmod30 ? Kmod30 : Kmod34;

    public static string Help(KmodCommandLines release, string program) => release == KmodCommandLines.Kmod30
        ? "Usage:\n" +
          $"\t{program} [options] filename [args]\n" +
          "Options:\n" +
          "\t-V, --version     show version\n" +
          "\t-h, --help        show this help\n"
        : "Usage:\n" +
          $"\t{program} [options] filename [module options]\n" +
          "Options:\n" +
          "\t-f, --force       DANGEROUS: forces a module load, may cause\n" +
          "\t                  data corruption and crash your machine\n" +
          "\t-s, --syslog      print to syslog, not stderr\n" +
          "\t-v, --verbose     enables more messages\n" +
          "\t-V, --version     show version\n" +
          "\t-h, --help        show this help\n";
}
