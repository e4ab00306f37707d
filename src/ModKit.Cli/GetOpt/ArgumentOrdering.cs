namespace ModKit.Cli.GetOpt;

/// <summary>How non-option arguments are treated: glibc's PERMUTE, REQUIRE_ORDER and RETURN_IN_ORDER.</summary>
internal enum ArgumentOrdering
{
    /// <summary>
    /// The default: non-options are skipped and, as options are found after them, moved behind the
    /// options, so that at the end every non-option is in <see cref="GetOptParser.Remaining"/>.
    /// </summary>
    Permute,

    /// <summary>
    /// A leading '+' in the short option string, or POSIXLY_CORRECT set: parsing stops at the first
    /// non-option (kmod's front-end uses "+hV" so that "kmod list -h" is the subcommand's -h).
    /// </summary>
    RequireOrder,

    /// <summary>A leading '-': every non-option is returned in place as option code 1 with the argument.</summary>
    ReturnInOrder,
}
