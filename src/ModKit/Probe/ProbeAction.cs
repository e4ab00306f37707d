namespace ModKit.Probe;

/// <summary>A step of a load plan as modprobe prints it (<c>print_action</c>).</summary>
/// <param name="Module">The module.</param>
/// <param name="IsInstallCommand">Whether the module's install command runs instead of an insertion.</param>
/// <param name="Options">The options passed to the module or the command (<c>""</c> for none).</param>
public readonly record struct ProbeAction(ProbeModule Module, bool IsInstallCommand, string Options)
{
    /// <summary>The edge that brought the step into the plan.</summary>
    public ProbeReason Reason { get; init; }

    /// <summary>The module whose dependency or soft dependency the step is; <see langword="null"/> for the requested module.</summary>
    public ProbeModule? Via { get; init; }
}
