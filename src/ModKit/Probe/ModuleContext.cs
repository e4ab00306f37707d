using ModKit.Config;
using ModKit.Index;
using ModKit.IO;
using ModKit.Kernel;
using ModKit.Modules;
using ModKit.Text;

namespace ModKit.Probe;

/// <summary>
/// What modprobe works with (libkmod's <c>kmod_ctx</c>): a module directory, the modprobe.d
/// configuration and a kernel. Resolves names and aliases in kmod's order, configuration included
/// (<c>kmod_module_new_from_lookup</c>), and answers the questions a load or removal plan asks of a
/// module: its file, dependencies, options, install and remove commands, softdeps and state. Modules are
/// kept in a pool, so every lookup of the same name (and alias) gives the same <see cref="ProbeModule"/>
/// until <see cref="ForgetModules"/> empties it.
/// </summary>
public sealed class ModuleContext : IDisposable
{
    /// <summary>libkmod's log priorities as passed to <see cref="Log"/>.</summary>
    public const int LogErr = 3, LogInfo = 6;

    private readonly Dictionary<string, ProbeModule> _pool = new(StringComparer.Ordinal);
    private readonly List<ProbeModule> _marked = [];

    /// <summary>Creates a context.</summary>
    /// <param name="directory">The module directory, e.g. <c>/lib/modules/6.1.0-56-amd64</c>.</param>
    /// <param name="config">The modprobe.d configuration.</param>
    /// <param name="kernel">The kernel to ask about loaded modules and to load into.</param>
    public ModuleContext(string directory, ModprobeConfig config, IKernel kernel)
        : this(directory, config, kernel, loadResources: true)
    {
    }

    /// <summary>Creates a context, with or without its indexes loaded.</summary>
    /// <param name="directory">The module directory, e.g. <c>/lib/modules/6.1.0-56-amd64</c>.</param>
    /// <param name="config">The modprobe.d configuration.</param>
    /// <param name="kernel">The kernel to ask about loaded modules and to load into.</param>
    /// <param name="loadResources">
    /// Whether to map the indexes now (<see cref="LoadResources"/>), as modprobe does; libkmod's
    /// <c>kmod_new</c> does not: each lookup then opens and reads the index it needs.
    /// </param>
    public ModuleContext(string directory, ModprobeConfig config, IKernel kernel, bool loadResources)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(kernel);
        Config = config;
        Kernel = kernel;
        Directory = new ModuleDirectory(directory) { KeepIndexesOpen = loadResources };
        if (loadResources)
        {
            // modprobe maps the indexes, which changes the order of equal-priority matches; when one of
            // them cannot be mapped all are dropped and the files are read instead.
            Directory.TieOrder = Directory.Preload([ModuleDirectory.DepIndex, ModuleDirectory.AliasIndex, ModuleDirectory.SymbolIndex, ModuleDirectory.BuiltinIndex])
                ? IndexTieOrder.Mmap
                : IndexTieOrder.Stdio;
        }
    }

    /// <summary>
    /// Maps the indexes of a context made without them (<c>kmod_load_resources</c>), which changes the
    /// order of equal-priority matches; when one of them cannot be mapped all are dropped and the files are
    /// read instead. <c>modules.builtin.alias.bin</c> is optional.
    /// </summary>
    /// <returns>Whether the indexes are mapped.</returns>
    public bool LoadResources()
    {
        Directory.StartKeepingIndexesOpen();
        Directory.Preload([ModuleDirectory.BuiltinAliasIndex]);
        if (Directory.Preload([ModuleDirectory.DepIndex, ModuleDirectory.AliasIndex, ModuleDirectory.SymbolIndex, ModuleDirectory.BuiltinIndex]))
        {
            Directory.TieOrder = IndexTieOrder.Mmap;
            return true;
        }

        UnloadResources();
        return false;
    }

    /// <summary>Closes the mapped indexes (<c>kmod_unload_resources</c>): lookups read the files again.</summary>
    public void UnloadResources()
    {
        Directory.StopKeepingIndexesOpen();
        Directory.TieOrder = IndexTieOrder.Stdio;
    }

    /// <summary>Closes the index files this context keeps open.</summary>
    public void Dispose() => Directory.Dispose();

    /// <summary>The module directory and its indexes.</summary>
    public ModuleDirectory Directory { get; }

    /// <summary>The configuration.</summary>
    public ModprobeConfig Config { get; }

    // The softdep lines by module name, made on first use (the configuration is complete by then).
    private SoftDependencyIndex? _softDependencies;

    /// <summary>The kernel.</summary>
    public IKernel Kernel { get; }

    /// <summary>The kmod release whose messages libkmod's part prints (<see cref="KmodProfile.DependencyLookupFailure"/>).</summary>
    public KmodProfile Profile { get; init; } = KmodProfile.BuildDefault;

    /// <summary>Receives libkmod's messages (priority, text without newline); <see langword="null"/> drops them.</summary>
    public Action<int, string>? Log { get; set; }

    /// <summary>
    /// Runs an install or remove command as <c>system(3)</c> would (<c>/bin/sh -c</c>), with
    /// <c>MODPROBE_MODULE</c> set to the second argument; returns the wait status, or -1 when the shell
    /// could not be started. Defaults to <see cref="ShellCommand.Run"/> with this process's environment.
    /// </summary>
    public Func<string, string, int> RunCommand { get; set; } =
        (command, module) => ShellCommand.Run(command, ShellCommand.CurrentEnvironment(("MODPROBE_MODULE", module)));

    /// <summary>
    /// Resolves a module name or alias in kmod's order (<c>kmod_module_new_from_lookup</c>): modprobe.d
    /// aliases, <c>modules.dep.bin</c>, <c>modules.symbols.bin</c>, install/remove commands for exactly
    /// this name, <c>modules.alias.bin</c>, <c>modules.builtin.bin</c>, <c>modules.builtin.alias.bin</c>.
    /// The first source with a match wins.
    /// </summary>
    /// <param name="alias">The name or alias as given.</param>
    /// <param name="modules">The modules found; empty when none.</param>
    /// <returns>0, or <see cref="Errno.EINVAL"/> when the alias has unbalanced brackets.</returns>
    public int Lookup(string alias, out IReadOnlyList<ProbeModule> modules)
    {
        ArgumentNullException.ThrowIfNull(alias);
        if (!ModuleName.TryNormalizeAlias(alias, out string name))
        {
            modules = [];
            return Errno.EINVAL;
        }

        modules = FromConfigAliases(name)
            ?? FromDependencyIndex(name)
            ?? (name.StartsWith("symbol:", StringComparison.Ordinal) ? FromAliasIndex(ModuleDirectory.SymbolIndex, name, false) : null)
            ?? FromCommands(name)
            ?? FromAliasIndex(ModuleDirectory.AliasIndex, name, false)
            ?? FromBuiltinIndex(name)
            ?? FromAliasIndex(ModuleDirectory.BuiltinAliasIndex, name, true)
            ?? [];
        return 0;
    }

    /// <summary>
    /// Resolves a module name only (<c>kmod_module_new_from_name_lookup</c>): <c>modules.dep.bin</c>,
    /// <c>modules.builtin.bin</c>, <c>modules.builtin.alias.bin</c>; the first source with a match wins.
    /// </summary>
    /// <param name="name">A module name; it is normalised.</param>
    /// <returns>The modules found, the one kmod keeps first; empty when none.</returns>
    public IReadOnlyList<ProbeModule> LookupName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string normalized = ModuleName.Normalize(name);
        return FromDependencyIndex(normalized)
            ?? FromBuiltinIndex(normalized)
            ?? FromAliasIndex(ModuleDirectory.BuiltinAliasIndex, normalized, true)
            ?? [];
    }

    /// <summary>The module of this name (<c>kmod_module_new_from_name</c>); nothing is checked.</summary>
    /// <param name="name">A module name; it is normalised.</param>
    /// <returns>The pooled module.</returns>
    public ProbeModule FromName(string name) => Pooled(ModuleName.Normalize(name), null);

    /// <summary>
    /// The module of a file (<c>kmod_module_new_from_path</c>): named after the file, not builtin. Its
    /// dependencies still come from <c>modules.dep</c> under its name.
    /// </summary>
    /// <param name="path">An absolute path.</param>
    /// <param name="module">The module.</param>
    /// <returns>0; <c>stat</c>'s error when the path cannot be reached (<see cref="Errno.ENOENT"/>,
    /// <see cref="Errno.ENOTDIR"/>, <see cref="Errno.EACCES"/>...), as kmod passes it on; <see cref="Errno.ENOENT"/>
    /// for a path without a file name; <see cref="Errno.EEXIST"/> when a module of that name is already known
    /// with another file.</returns>
    public int FromPath(string path, out ProbeModule? module)
    {
        ArgumentNullException.ThrowIfNull(path);
        module = null;
        int error = NativeFile.Stat(path);
        if (error != 0)
        {
            return error;
        }

        string? name = ModuleName.FromPath(path);
        if (string.IsNullOrEmpty(name))
        {
            return Errno.ENOENT;
        }

        var found = Pooled(name, null);
        if (found.Path is null)
        {
            found.Path = path;
        }
        else if (found.Path != path)
        {
            Log?.Invoke(LogErr, $"kmod_module '{name}' already exists with different path: new-path='{path}' old-path='{found.Path}'");
            return Errno.EEXIST;
        }

        found.Builtin = false;
        module = found;
        return 0;
    }

    /// <summary>The module's file (<c>kmod_module_get_path</c>): as given, or from <c>modules.dep.bin</c>.</summary>
    /// <param name="module">The module.</param>
    /// <returns>The absolute path, or <see langword="null"/> (a builtin module, or one the index does not list).</returns>
    public string? GetPath(ProbeModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (module.Path is not null || module.DependenciesRead)
        {
            return module.Path;
        }

        string? line = Directory.FindDependencyLine(module.Name);
        if (line is not null)
        {
            ParseDependencyLine(module, line);
        }

        return module.Path;
    }

    /// <summary>
    /// The module's <c>modules.dep</c> dependencies in libkmod's order: the reverse of the line, so the
    /// most basic module comes first (<c>kmod_module_get_dependencies</c>).
    /// </summary>
    /// <param name="module">The module.</param>
    /// <returns>The dependencies; empty when there are none or the index does not list the module.</returns>
    public IReadOnlyList<ProbeModule> GetDependencies(ProbeModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return DependenciesOf(module);
    }

    // The library's own callers iterate the List itself: no interface dispatch, no boxed enumerator.
    internal List<ProbeModule> DependenciesOf(ProbeModule module)
    {
        if (!module.DependenciesRead)
        {
            string? line = Directory.FindDependencyLine(module.Name);
            if (line is not null)
            {
                ParseDependencyLine(module, line);
            }
        }

        return module.DependencyList;
    }

    /// <summary>
    /// The module's options (<c>kmod_module_get_options</c>): every modprobe.d <c>options</c> line (and
    /// kernel command line option) for its name or for the alias it was reached through, joined by spaces.
    /// </summary>
    /// <param name="module">The module.</param>
    /// <returns>The options, or <see langword="null"/> when there are none.</returns>
    public string? GetOptions(ProbeModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (!module.OptionsRead)
        {
            string? options = null;
            foreach (var line in Config.OptionList)
            {
                if ((line.ModuleName == module.Name || (module.Alias is not null && line.ModuleName == module.Alias)) && line.Options.Length > 0)
                {
                    options = options is null ? line.Options : options + " " + line.Options;
                }
            }

            module.OptionsCache = options;
            module.OptionsRead = true;
        }

        return module.OptionsCache;
    }

    /// <summary>The first <c>install</c> command whose pattern matches the module's name.</summary>
    /// <param name="module">The module.</param>
    /// <returns>The command as written, or <see langword="null"/>.</returns>
    public string? GetInstallCommand(ProbeModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (!module.InstallCommandRead)
        {
            module.InstallCommandCache = FirstCommand(Config.InstallList, module.Name);
            module.InstallCommandRead = true;
        }

        return module.InstallCommandCache;
    }

    /// <summary>The first <c>remove</c> command whose pattern matches the module's name.</summary>
    /// <param name="module">The module.</param>
    /// <returns>The command as written, or <see langword="null"/>.</returns>
    public string? GetRemoveCommand(ProbeModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (!module.RemoveCommandRead)
        {
            module.RemoveCommandCache = FirstCommand(Config.RemoveList, module.Name);
            module.RemoveCommandRead = true;
        }

        return module.RemoveCommandCache;
    }

    /// <summary>
    /// The module's soft dependencies from the first matching <c>softdep</c> line, each name resolved by a
    /// full <see cref="Lookup"/> (<c>kmod_module_get_softdeps</c>); names that resolve to nothing are left out.
    /// </summary>
    /// <param name="module">The module.</param>
    /// <param name="pre">Modules to load before it.</param>
    /// <param name="post">Modules to load after it.</param>
    public void GetSoftDependencies(ProbeModule module, out IReadOnlyList<ProbeModule> pre, out IReadOnlyList<ProbeModule> post)
    {
        ArgumentNullException.ThrowIfNull(module);
        SoftDependenciesOf(module, out var preList, out var postList);
        pre = preList;
        post = postList;
    }

    internal void SoftDependenciesOf(ProbeModule module, out List<ProbeModule> pre, out List<ProbeModule> post)
    {
        if (module.PreSoftDependencies is not null && module.PostSoftDependencies is not null)
        {
            pre = module.PreSoftDependencies;
            post = module.PostSoftDependencies;
            return;
        }

        pre = [];
        post = [];
        bool resolved = true;

        // Only the first matching line counts, as in module-init-tools.
        _softDependencies ??= new SoftDependencyIndex(Config.SoftDependencyList);
        if (_softDependencies.FirstMatch(module.Name) is { } softdep)
        {
            pre = LookupAll(softdep.Pre, ref resolved);
            post = LookupAll(softdep.Post, ref resolved);
        }

        // Kept unless a name failed to resolve: kmod reports that again on every call.
        if (resolved)
        {
            module.PreSoftDependencies = pre;
            module.PostSoftDependencies = post;
        }
    }

    /// <summary>
    /// The module's weak dependencies from the first matching <c>weakdep</c> line, each name resolved by a
    /// full <see cref="Lookup"/> (<c>kmod_module_get_weakdeps</c>, kmod 33+); names that resolve to nothing are left out.
    /// </summary>
    /// <param name="module">The module.</param>
    /// <returns>The modules; empty when no line matches.</returns>
    public IReadOnlyList<ProbeModule> GetWeakDependencies(ProbeModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        bool resolved = true;
        foreach (var weakdep in Config.WeakDependencies)
        {
            if (FnMatch.IsMatch(weakdep.ModuleName, module.Name))
            {
                return LookupAll(weakdep.Modules, ref resolved);
            }
        }

        return [];
    }

    /// <summary>Whether the module is builtin (<c>kmod_module_is_builtin</c>): as its lookup said, else <c>modules.builtin.bin</c>.</summary>
    /// <param name="module">The module.</param>
    public bool IsBuiltin(ProbeModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        module.Builtin ??= Directory.IsBuiltin(module.Name);
        return module.Builtin.Value;
    }

    /// <summary>The module's state (<c>kmod_module_get_initstate</c>): builtin, else what <c>/sys/module</c> says.</summary>
    /// <param name="module">The module.</param>
    public ModuleState GetState(ProbeModule module)
    {
        if (IsBuiltin(module))
        {
            return ModuleState.Builtin;
        }

        var state = Kernel.ReadInitState(module.Name);
        if (!state.Succeeded)
        {
            if (state.Errno == Errno.EINVAL)
            {
                Log?.Invoke(LogErr, $"unknown /sys/module/{module.Name}/initstate");
            }

            return ModuleState.Absent;
        }

        return state.Value switch
        {
            ModuleInitState.Live => ModuleState.Live,
            ModuleInitState.Coming => ModuleState.Coming,
            _ => ModuleState.Going,
        };
    }

    /// <summary>Whether the module is live or builtin (libkmod's <c>module_is_inkernel</c>).</summary>
    /// <param name="module">The module.</param>
    public bool IsInKernel(ProbeModule module) => GetState(module) is ModuleState.Live or ModuleState.Builtin;

    /// <summary>Whether a <c>blacklist</c> line names the module (exact name).</summary>
    /// <param name="module">The module.</param>
    public bool IsBlacklisted(ProbeModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        foreach (string name in Config.BlacklistList)
        {
            if (name == module.Name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Forgets every module looked up so far, as libkmod frees a request's modules once modprobe is done
    /// with it: later lookups create new ones, and nothing learnt (file, dependencies, options, plan marks)
    /// carries over. Call it between independent requests, as <c>modprobe -a</c> and <c>-r</c> do between
    /// names, so a long batch keeps its memory flat.
    /// </summary>
    public void ForgetModules()
    {
        _pool.Clear();
        _marked.Clear();
    }

    /// <summary>
    /// Forgets one module (libkmod frees a module whose last reference is dropped): later lookups of its
    /// name make a new one. Nothing happens when the pool holds another object under its name.
    /// </summary>
    internal void Forget(ProbeModule module)
    {
        string key = module.Alias is null ? module.Name : module.Name + "\\" + module.Alias;
        if (_pool.TryGetValue(key, out var pooled) && ReferenceEquals(pooled, module))
        {
            _pool.Remove(key);
        }
    }

    /// <summary>Forgets every pooled module <paramref name="keep"/> rejects (libkmod frees the modules nobody holds).</summary>
    internal void ForgetUnless(Func<ProbeModule, bool> keep)
    {
        foreach (var (key, module) in _pool.ToList())
        {
            if (!keep(module))
            {
                _pool.Remove(key);
            }
        }
    }

    /// <summary>The pool's module for this one's name and alias; the module itself (pooled again) when the pool has none.</summary>
    internal ProbeModule Pooled(ProbeModule module)
    {
        string key = module.Alias is null ? module.Name : module.Name + "\\" + module.Alias;
        if (_pool.TryGetValue(key, out var pooled))
        {
            return pooled;
        }

        _pool.Add(key, module);
        return module;
    }

    internal void ResetPlanMarks()
    {
        foreach (var module in _marked)
        {
            module.Visited = false;
            module.Required = false;
        }

        _marked.Clear();
    }

    internal void Mark(ProbeModule module) => _marked.Add(module);

    private static string? FirstCommand(List<ModuleCommand> commands, string name)
    {
        foreach (var command in commands)
        {
            if (FnMatch.IsMatch(command.ModuleName, name))
            {
                return command.Command;
            }
        }

        return null;
    }

    private List<ProbeModule> LookupAll(IReadOnlyList<string> names, ref bool resolved)
    {
        var result = new List<ProbeModule>();
        foreach (string name in names)
        {
            if (Lookup(name, out var found) != 0)
            {
                Log?.Invoke(LogErr, $"{Profile.DependencyLookupFailure} '{name}', continuing anyway.");
                resolved = false;
                continue;
            }

            result.AddRange(found);
        }

        return result;
    }

    private ProbeModule Pooled(string name, string? alias)
    {
        string key = alias is null ? name : name + "\\" + alias;
        if (!_pool.TryGetValue(key, out var module))
        {
            module = new ProbeModule(name, alias);
            _pool.Add(key, module);
        }

        return module;
    }

    // kmod_module_parse_depline: "path: dep dep ..." with paths relative to the directory.
    private void ParseDependencyLine(ProbeModule module, string line)
    {
        if (module.DependenciesRead)
        {
            return;
        }

        module.DependenciesRead = true;
        if (!Directory.TrySplitDependencyLine(line, out string modulePath, out string[] paths))
        {
            return;
        }

        module.Path ??= modulePath;
        var dependencies = new List<ProbeModule>(paths.Length);
        foreach (string path in paths)
        {
            int error = FromPath(path, out var dependency);
            if (error != 0)
            {
                Log?.Invoke(LogErr, $"ctx={Directory.Path} path={path} error={Errno.Describe(error)}");
                module.DependenciesRead = false;
                return;
            }

            dependencies.Insert(0, dependency!);
        }

        module.DependencyList = dependencies;
    }

    private List<ProbeModule>? FromConfigAliases(string name)
    {
        List<ProbeModule>? result = null;
        foreach (var alias in Config.AliasList)
        {
            if (FnMatch.IsMatch(alias.Pattern, name))
            {
                (result ??= []).Add(Pooled(alias.ModuleName, alias.Pattern));
            }
        }

        return result;
    }

    private List<ProbeModule>? FromDependencyIndex(string name)
    {
        if (name.Contains(':'))
        {
            return null; // module names never contain ':'
        }

        string? line = Directory.FindDependencyLine(name);
        if (line is null)
        {
            return null;
        }

        var module = FromName(name);
        ParseDependencyLine(module, line);
        return [module];
    }

    // Lookup step 4: an install, else a remove command for exactly this name makes a module of it,
    // with that command already known (kmod_lookup_alias_from_commands).
    private List<ProbeModule>? FromCommands(string name)
    {
        if (FindExact(Config.InstallList, name) is { } install)
        {
            var module = FromName(name);
            module.InstallCommandCache = install;
            module.InstallCommandRead = true;
            return [module];
        }

        if (FindExact(Config.RemoveList, name) is { } remove)
        {
            var module = FromName(name);
            module.RemoveCommandCache = remove;
            module.RemoveCommandRead = true;
            return [module];
        }

        return null;
    }

    private static string? FindExact(List<ModuleCommand> commands, string name)
    {
        foreach (var command in commands)
        {
            if (command.ModuleName == name)
            {
                return command.Command;
            }
        }

        return null;
    }

    private List<ProbeModule>? FromAliasIndex(string index, string name, bool builtin)
    {
        var values = Directory.FindWildcard(index, name);
        if (values.Count == 0)
        {
            return null;
        }

        var result = new List<ProbeModule>(values.Count);
        foreach (var value in values)
        {
            var module = Pooled(value.Value, name);
            if (builtin)
            {
                module.Builtin = true;
            }

            result.Add(module);
        }

        return result;
    }

    private List<ProbeModule>? FromBuiltinIndex(string name)
    {
        if (!Directory.IsBuiltin(name))
        {
            return null;
        }

        var module = FromName(name);
        module.Builtin = true;
        return [module];
    }
}
