namespace ModKit.Cli.GetOpt;

/// <summary>
/// glibc 2.36's getopt diagnostics (posix/getopt.c, C locale), each a whole line prefixed by argv[0]
/// exactly as the program was invoked. The differential test checks every one of them.
/// </summary>
internal static class GetOptMessages
{
    public static string InvalidOption(string program, char option) =>
        $"{program}: invalid option -- '{option}'\n";

    public static string ShortRequiresArgument(string program, char option) =>
        $"{program}: option requires an argument -- '{option}'\n";

    // The long option messages quote what was typed (including any "=value") for an unknown or
    // ambiguous option, but the table's full name once an abbreviation has matched.
    public static string Unrecognized(string program, string prefix, string typed) =>
        $"{program}: unrecognized option '{prefix}{typed}'\n";

    public static string Ambiguous(string program, string prefix, string typed, IEnumerable<string> candidates) =>
        $"{program}: option '{prefix}{typed}' is ambiguous; possibilities:"
        + string.Concat(candidates.Select(name => $" '{prefix}{name}'"))
        + "\n";

    public static string DoesNotAllowArgument(string program, string prefix, string name) =>
        $"{program}: option '{prefix}{name}' doesn't allow an argument\n";

    public static string LongRequiresArgument(string program, string prefix, string name) =>
        $"{program}: option '{prefix}{name}' requires an argument\n";
}
