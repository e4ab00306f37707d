namespace ModKit.Config;

/// <summary>A <c>weakdep MODNAME MOD...</c> line (kmod 33 and later; informational only).</summary>
/// <param name="ModuleName">The module name, normalised.</param>
/// <param name="Modules">The weak dependencies, verbatim.</param>
public sealed record WeakDependency(string ModuleName, IReadOnlyList<string> Modules);
