namespace ModKit;

/// <summary>
/// Which release's command lines the tools have (<see cref="KmodProfile.CommandLines"/>): their option
/// tables, <c>--help</c> texts and usage messages, which kmod 34 reworked as a whole.
/// </summary>
public enum KmodCommandLines
{
    /// <summary>kmod 30's options and texts.</summary>
    Kmod30 = 30,

    /// <summary>kmod 34.2's options and texts.</summary>
    Kmod34 = 34,
}
