using ModKit.Cli.GetOpt;

namespace ModKit.Cli.Tools;

/// <summary>
/// rmmod's command line, as data (<c>tools/rmmod.c</c>): kmod 30's option string still lists <c>-w</c>,
/// which it no longer handles; kmod 34 dropped it and reworded the help.
/// </summary>
internal static class RmmodOptions
{
    public static readonly OptionTable Kmod30 = new(
        "fsvVwh",
        new LongOption("force", OptionArgument.None, 'f'),
        new LongOption("syslog", OptionArgument.None, 's'),
        new LongOption("verbose", OptionArgument.None, 'v'),
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
          $"\t{program} [options] modulename ...\n" +
          "Options:\n" +
          "\t-f, --force       forces a module unload and may crash your\n" +
          "\t                  machine. This requires Forced Module Removal\n" +
          "\t                  option in your kernel. DANGEROUS\n" +
          "\t-s, --syslog      print to syslog, not stderr\n" +
          "\t-v, --verbose     enables more messages\n" +
          "\t-V, --version     show version\n" +
          "\t-h, --help        show this help\n"
        : "Usage:\n" +
          $"\t{program} [options] [list of modulenames]\n" +
          "Options:\n" +
          "\t-f, --force       DANGEROUS: forces a module unload and may\n" +
          "\t                  crash your machine\n" +
          "\t-s, --syslog      print to syslog, not stderr\n" +
          "\t-v, --verbose     enables more messages\n" +
          "\t-V, --version     show version\n" +
          "\t-h, --help        show this help\n";
}
