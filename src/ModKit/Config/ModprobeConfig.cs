namespace ModKit.Config;

/// <summary>
/// The effective modprobe configuration: every directive of the modprobe.d files in parse order, then
/// the kernel command line's (libkmod's <c>struct kmod_config</c>). Build one with
/// <see cref="ModprobeConfigLoader"/> or <see cref="Parse"/>; print it with <see cref="ModprobeConfigFormatter"/>.
/// </summary>
public sealed class ModprobeConfig
{
    internal List<ConfigAlias> AliasList { get; } = [];

    internal List<ModuleOptions> OptionList { get; } = [];

    internal List<ModuleCommand> InstallList { get; } = [];

    internal List<ModuleCommand> RemoveList { get; } = [];

    internal List<string> BlacklistList { get; } = [];

    internal List<SoftDependency> SoftDependencyList { get; } = [];

    internal List<WeakDependency> WeakDependencyList { get; } = [];

    internal List<string> FileList { get; } = [];

    internal List<ConfigDiagnostic> DiagnosticList { get; } = [];

    /// <summary>The <c>alias</c> lines, in parse order.</summary>
    public IReadOnlyList<ConfigAlias> Aliases => AliasList;

    /// <summary>The <c>options</c> lines, then the kernel command line's <c>module.param=value</c> entries.</summary>
    public IReadOnlyList<ModuleOptions> Options => OptionList;

    /// <summary>The <c>install</c> lines, in parse order (the first matching one wins at use time).</summary>
    public IReadOnlyList<ModuleCommand> InstallCommands => InstallList;

    /// <summary>The <c>remove</c> lines, in parse order (the first matching one wins at use time).</summary>
    public IReadOnlyList<ModuleCommand> RemoveCommands => RemoveList;

    /// <summary>The <c>blacklist</c> lines, then the kernel command line's <c>modprobe.blacklist=</c> entries.</summary>
    public IReadOnlyList<string> Blacklist => BlacklistList;

    /// <summary>The <c>softdep</c> lines, in parse order (only the first matching one is used).</summary>
    public IReadOnlyList<SoftDependency> SoftDependencies => SoftDependencyList;

    /// <summary>
    /// The <c>weakdep</c> lines; always empty unless <see cref="KmodProfile.ParsesWeakDependencies"/>
    /// is set (kmod 30 rejects the directive as a bad line).
    /// </summary>
    public IReadOnlyList<WeakDependency> WeakDependencies => WeakDependencyList;

    /// <summary>The files that were read, in parse order, as opened.</summary>
    public IReadOnlyList<string> Files => FileList;

    /// <summary>The errors reported while reading (bad lines, sub-directories, bad kernel command line options).</summary>
    public IReadOnlyList<ConfigDiagnostic> Diagnostics => DiagnosticList;

    /// <summary>Parses the text of one modprobe.d file.</summary>
    /// <param name="text">The file's contents.</param>
    /// <param name="fileName">The name used in error messages.</param>
    /// <param name="parseWeakDependencies">Accept <c>weakdep</c> lines (kmod 33) instead of reporting them as bad lines (kmod 30).</param>
    /// <returns>The configuration of that file alone.</returns>
    public static ModprobeConfig Parse(string text, string fileName, bool parseWeakDependencies = false)
    {
        var config = new ModprobeConfig();
        new ModprobeConfigParser(config, parseWeakDependencies, keepEndOfFileAfterBackslash: true, null).ParseFile(System.Text.Encoding.UTF8.GetBytes(text), fileName);
        return config;
    }

    internal void Report(string function, string message, Action<ConfigDiagnostic>? sink)
    {
        var diagnostic = new ConfigDiagnostic(function, message);
        DiagnosticList.Add(diagnostic);
        sink?.Invoke(diagnostic);
    }
}
