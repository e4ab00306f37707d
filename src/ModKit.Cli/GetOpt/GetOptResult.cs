namespace ModKit.Cli.GetOpt;

/// <summary>One option returned by <see cref="GetOptParser.TryNext"/>, i.e. one getopt_long call.</summary>
internal readonly record struct GetOptResult
{
    /// <summary>getopt's '?': an unknown or ambiguous option, a missing or unwanted argument.</summary>
    public const int Error = '?';

    /// <summary>getopt's ':': a missing argument when the short option string starts with ':'.</summary>
    public const int MissingArgument = ':';

    /// <summary>The code of a non-option returned in place (short option string starting with '-').</summary>
    public const int NonOption = 1;

    /// <summary>
    /// What getopt_long returns: the short option character, the matched long option's value,
    /// <see cref="Error"/>, <see cref="MissingArgument"/> or <see cref="NonOption"/>.
    /// </summary>
    public int Code { get; init; }

    /// <summary>getopt's optarg: the option's argument, or the non-option itself; null if none.</summary>
    public string? Argument { get; init; }

    /// <summary>getopt_long's longindex: the matched row of the long option table, or -1.</summary>
    public int LongIndex { get; init; }

    /// <summary>
    /// getopt's optopt for an error: the offending short option character or long option value,
    /// 0 for an unrecognized or ambiguous long option; 0 when not an error.
    /// </summary>
    public int ErrorOption { get; init; }

    /// <summary>True for an error, unlike <c>Code == '?'</c> which a short option "?" would also give.</summary>
    public bool IsError { get; init; }
}
