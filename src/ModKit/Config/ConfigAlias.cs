namespace ModKit.Config;

/// <summary>An <c>alias WILDCARD MODNAME</c> line of modprobe.d.</summary>
/// <param name="Pattern">The alias, an <c>fnmatch</c> pattern, normalised with kmod's <c>underscores()</c>.</param>
/// <param name="ModuleName">The module the alias resolves to, normalised the same way.</param>
public sealed record ConfigAlias(string Pattern, string ModuleName);
