namespace ModKit.Cli.GetOpt;

/// <summary>How one character of the short option string is read.</summary>
internal enum ShortOption
{
    NoArgument,
    RequiredArgument,
    OptionalArgument,

    /// <summary>"W;": POSIX's "-W foo" stands for the long option "--foo".</summary>
    LongOptionPrefix,
}
