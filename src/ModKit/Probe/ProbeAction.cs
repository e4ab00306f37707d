namespace ModKit.Probe;

/// <summary>A step of a load plan as modprobe prints it (<c>print_action</c>).</summary>
/// <param name="Module">The module.</param>
/// <param name="IsInstallCommand">Whether the module's install command runs instead of an insertion.</param>
/// <param name="Options">The options passed to the module or the command (<c>""</c> for none).</param>
public readonly record struct ProbeAction(ProbeModule Module, bool IsInstallCommand, string Options);
