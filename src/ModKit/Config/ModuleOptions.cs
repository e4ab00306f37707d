namespace ModKit.Config;

/// <summary>An <c>options MODNAME OPTIONS...</c> line, or a <c>module.param=value</c> of the kernel command line.</summary>
/// <param name="ModuleName">The module (or alias) name the options apply to, normalised.</param>
/// <param name="Options">The rest of the line as written, tabs turned into spaces (<c>kmod_config_add_options</c>).</param>
public sealed record ModuleOptions(string ModuleName, string Options);
