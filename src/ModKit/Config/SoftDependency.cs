namespace ModKit.Config;

/// <summary>A <c>softdep MODNAME [pre: A B...] [post: C D...]</c> line.</summary>
/// <param name="ModuleName">The module name (an <c>fnmatch</c> pattern at use time), normalised.</param>
/// <param name="Pre">Modules to load before it, verbatim (resolved later by a full lookup).</param>
/// <param name="Post">Modules to load after it, verbatim.</param>
public sealed record SoftDependency(string ModuleName, IReadOnlyList<string> Pre, IReadOnlyList<string> Post);
