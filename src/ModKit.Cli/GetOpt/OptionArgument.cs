namespace ModKit.Cli.GetOpt;

/// <summary>Whether an option takes an argument: glibc's no_argument, required_argument, optional_argument.</summary>
internal enum OptionArgument
{
    /// <summary>"x" in the short option string; no_argument in a long option.</summary>
    None = 0,

    /// <summary>"x:" — attached (-xVALUE) or the next element (-x VALUE); --long=VALUE or --long VALUE.</summary>
    Required = 1,

    /// <summary>"x::" — only attached (-xVALUE); for long options only --long=VALUE.</summary>
    Optional = 2,
}
