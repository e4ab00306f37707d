namespace ModKit.Probe;

/// <summary>
/// A module as modprobe sees it (libkmod's <c>kmod_module</c>): its name, the alias it was reached
/// through, and what is learnt about it on demand — file, dependencies, options, install and remove
/// commands. Instances are shared through their <see cref="ModuleContext"/>: the same name (and alias)
/// gives the same object until <see cref="ModuleContext.ForgetModules"/>, so a module reached twice in one plan is one module.
/// </summary>
public sealed class ProbeModule
{
    internal ProbeModule(string name, string? alias)
    {
        Name = name;
        Alias = alias;
    }

    /// <summary>The normalised module name.</summary>
    public string Name { get; }

    /// <summary>
    /// The alias the module was found through (the normalised lookup key, or a modprobe.d alias
    /// pattern), or <see langword="null"/> when it was found by name.
    /// </summary>
    public string? Alias { get; }

    /// <summary>The module file's absolute path, once known (see <see cref="ModuleContext.GetPath"/>).</summary>
    public string? Path { get; internal set; }

    /// <summary>Whether the module is builtin: <see langword="null"/> until a lookup or index told.</summary>
    public bool? Builtin { get; internal set; }

    /// <inheritdoc/>
    public override string ToString() => Alias is null ? Name : Name + "\\" + Alias;

    // What libkmod caches in the module (init.dep, init.options, init.install_commands, ...).
    internal bool DependenciesRead { get; set; }

    internal List<ProbeModule> DependencyList { get; set; } = [];

    internal bool OptionsRead { get; set; }

    internal string? OptionsCache { get; set; }

    internal bool InstallCommandRead { get; set; }

    internal string? InstallCommandCache { get; set; }

    internal bool RemoveCommandRead { get; set; }

    internal string? RemoveCommandCache { get; set; }

    // Softdeps resolved once (kmod resolves them on every call, with the same result).
    internal List<ProbeModule>? PreSoftDependencies { get; set; }

    internal List<ProbeModule>? PostSoftDependencies { get; set; }

    // Load-plan marks (kmod_module's visited, required, ignorecmd).
    internal bool Visited { get; set; }

    internal bool Required { get; set; }

    internal bool IgnoreCommand { get; set; }
}
