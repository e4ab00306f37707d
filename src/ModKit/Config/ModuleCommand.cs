namespace ModKit.Config;

/// <summary>An <c>install MODNAME COMMAND...</c> or <c>remove MODNAME COMMAND...</c> line.</summary>
/// <param name="ModuleName">The module name (an <c>fnmatch</c> pattern at use time), normalised.</param>
/// <param name="Command">The shell command, the rest of the line verbatim.</param>
public sealed record ModuleCommand(string ModuleName, string Command);
