namespace ModKit.Kernel;

/// <summary>
/// One line of <c>/proc/modules</c>: <c>name size refcount users state address [taints]</c>, e.g.
/// <c>btusb 11216 0 - Live 0xffffffffa014a000</c>. kmod uses only the name (the list and its order,
/// most recently loaded first) and the size (a fallback when sysfs has no <c>coresize</c>).
/// </summary>
/// <param name="Name">The module name.</param>
/// <param name="Size">The size of the module's core in bytes, or -1 if the line has none.</param>
/// <param name="UseCount">The reference count, or -1 if the line has none.</param>
/// <param name="Users">The modules using this one (the fourth field without its trailing comma; <c>-</c> is none).</param>
/// <param name="State">The state field (<c>Live</c>, <c>Loading</c>, <c>Unloading</c>), or empty.</param>
public sealed record LoadedModule(string Name, long Size, int UseCount, IReadOnlyList<string> Users, string State)
{
    /// <summary>The taint flags of the last field without its parentheses (<c>OE</c> for <c>(OE)</c>), or empty.</summary>
    public string Taints { get; init; } = string.Empty;
}
