using System.Text;
using ModKit.Config;
using ModKit.Elf;
using ModKit.Kernel;
using ModKit.Modules;
using ModKit.Probe;

namespace ModKit;

/// <summary>
/// The .NET face of ModKit: a kernel's modules by name or alias, with exceptions, Try-methods, records and
/// sequences. It is a thin layer over the libkmod-like API the tools use (<see cref="Context"/>: errno integers and
/// out parameters), with the same lookups, configuration and load plans, never a second implementation.
/// </summary>
/// <example>
/// <code>
/// using var modules = KernelModules.Open();
/// ModuleDetails ext4 = modules.Get("ext4");
/// Console.WriteLine($"{ext4.Path}: {ext4.License}, needs {ext4.Dependencies.Count} modules");
/// foreach (string name in modules.Resolve("fs-vfat")) Console.WriteLine(name);
/// if (!modules.TryLoad("loop", "max_loop=8", out int errno)) Console.WriteLine(Errno.Describe(errno));
/// </code>
/// </example>
public sealed class KernelModules : IDisposable
{
    private KernelModules(ModuleContext context) => Context = context;

    /// <summary>The libkmod-like context underneath: lookups, paths, options, softdeps, states.</summary>
    public ModuleContext Context { get; }

    /// <summary>The kernel the modules are loaded into and read from (<c>/proc</c>, <c>/sys</c>, system calls).</summary>
    public IKernel Kernel => Context.Kernel;

    /// <summary>The module directory, e.g. <c>/lib/modules/6.12.57+deb13-amd64</c>.</summary>
    public string ModuleDirectory => Context.Directory.Path;

    /// <summary>
    /// Opens a kernel's modules: <c>ROOT/lib/modules/RELEASE</c> with the modprobe.d configuration under ROOT and
    /// the kernel's command line, as modprobe reads them.
    /// </summary>
    /// <param name="root">The file system root (<c>/</c>, or an image's root).</param>
    /// <param name="release">The kernel release; null for the running kernel's (<paramref name="kernel"/>'s).</param>
    /// <param name="kernel">The kernel to load into; null for the running one (<see cref="LinuxKernel"/>). Tests pass a <see cref="FakeKernel"/>.</param>
    /// <param name="profile">The kmod release whose rules apply; null for the build's (<see cref="KmodProfile.BuildDefault"/>).</param>
    /// <returns>The modules; dispose them to close the indexes.</returns>
    public static KernelModules Open(string root = "/", string? release = null, IKernel? kernel = null, KmodProfile? profile = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        kernel ??= new LinuxKernel();
        profile ??= KmodProfile.BuildDefault;
        string directory = Path.Combine(root, "lib", "modules", release ?? kernel.Release);
        var commandLine = kernel.ReadCommandLine();
        var config = new ModprobeConfigLoader
        {
            RootDirectory = root,
            Profile = profile,
            ModuleDirectory = directory,
            KernelCommandLine = commandLine.Succeeded ? commandLine.Value : string.Empty,
        }.Load();
        return new KernelModules(new ModuleContext(directory, config, kernel) { Profile = profile });
    }

    /// <summary>The names of every module of the directory, in <c>modules.dep</c>'s order.</summary>
    /// <returns>The names (with underscores).</returns>
    /// <exception cref="ModuleOperationException"><c>modules.dep</c> cannot be read.</exception>
    public IEnumerable<string> Names()
    {
        string path = Path.Combine(ModuleDirectory, "modules.dep");
        IEnumerable<string> lines;
        try
        {
            lines = File.ReadLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModuleOperationException($"could not open {path}: {Errno.DescribeFileError(e)}", Errno.FromException(e));
        }

        foreach (string line in lines)
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && ModuleName.FromPath(line[..colon]) is { } name)
            {
                yield return name;
            }
        }
    }

    /// <summary>The modules a name, alias or <c>symbol:</c> resolves to, as <c>modprobe -R</c> prints them.</summary>
    /// <param name="nameOrAlias">e.g. <c>ext4</c>, <c>fs-vfat</c> or <c>pci:v00008086d...</c>.</param>
    /// <returns>The module names; empty when nothing matches.</returns>
    public IReadOnlyList<string> Resolve(string nameOrAlias)
    {
        ArgumentNullException.ThrowIfNull(nameOrAlias);
        return Context.Lookup(nameOrAlias, out var found) == 0 ? [.. found.Select(m => m.Name)] : [];
    }

    /// <summary>What a module is and says about itself (the first module an alias resolves to).</summary>
    /// <param name="nameOrAlias">A module name or alias.</param>
    /// <param name="details">The details, or null.</param>
    /// <returns>Whether the module was found and read.</returns>
    public bool TryGet(string nameOrAlias, out ModuleDetails? details)
    {
        details = TryRead(nameOrAlias, out _, out _);
        return details is not null;
    }

    /// <summary>What a module is and says about itself (the first module an alias resolves to).</summary>
    /// <param name="nameOrAlias">A module name or alias.</param>
    /// <returns>The details.</returns>
    /// <exception cref="ModuleOperationException">Nothing matches, or the module file cannot be read.</exception>
    public ModuleDetails Get(string nameOrAlias) =>
        TryRead(nameOrAlias, out int errno, out string message) ?? throw new ModuleOperationException(message, errno);

    /// <summary>The modules loaded in the kernel, most recently loaded first (<c>/proc/modules</c>).</summary>
    /// <returns>The modules.</returns>
    /// <exception cref="ModuleOperationException"><c>/proc/modules</c> cannot be read.</exception>
    public IReadOnlyList<LoadedModule> Loaded()
    {
        var loaded = Kernel.ReadLoadedModules();
        return loaded.Succeeded ? loaded.Value
            : throw new ModuleOperationException($"could not open /proc/modules: {Errno.Describe(loaded.Errno)}", loaded.Errno);
    }

    /// <summary>
    /// Loads a module with what it needs, as <c>modprobe</c> does: dependencies, softdeps, configured options and
    /// install commands; a module already loaded is not an error.
    /// </summary>
    /// <param name="nameOrAlias">A module name or alias.</param>
    /// <param name="options">Parameters for the module, after its configured ones (e.g. <c>max_loop=8</c>).</param>
    /// <param name="errno">The errno of the failure (positive), or 0.</param>
    /// <returns>Whether everything was loaded.</returns>
    public bool TryLoad(string nameOrAlias, string? options, out int errno)
    {
        errno = Insert(nameOrAlias, options, out _);
        return errno == 0;
    }

    /// <summary>Loads a module with what it needs (see <see cref="TryLoad"/>).</summary>
    /// <param name="nameOrAlias">A module name or alias.</param>
    /// <param name="options">Parameters for the module, after its configured ones.</param>
    /// <exception cref="ModuleOperationException">The module does not exist, or a step failed (e.g. <c>EPERM</c>).</exception>
    public void Load(string nameOrAlias, string? options = null)
    {
        int errno = Insert(nameOrAlias, options, out string message);
        if (errno != 0)
        {
            throw new ModuleOperationException(message, errno);
        }
    }

    /// <summary>Unloads one module, as <c>rmmod</c> does (its dependencies stay).</summary>
    /// <param name="name">The module's name.</param>
    /// <param name="errno">The errno of the failure (positive), or 0.</param>
    /// <returns>Whether the module was unloaded.</returns>
    public bool TryUnload(string name, out int errno)
    {
        ArgumentNullException.ThrowIfNull(name);
        errno = Kernel.UnloadModule(ModuleName.Normalize(name), ModuleUnloadFlags.NonBlocking).Errno;
        return errno == 0;
    }

    /// <summary>Unloads one module, as <c>rmmod</c> does.</summary>
    /// <param name="name">The module's name.</param>
    /// <exception cref="ModuleOperationException">The kernel refused (not loaded: <c>ENOENT</c>; in use: <c>EWOULDBLOCK</c>...).</exception>
    public void Unload(string name)
    {
        if (!TryUnload(name, out int errno))
        {
            throw new ModuleOperationException($"could not remove '{ModuleName.Normalize(name)}': {Errno.Describe(errno)}", errno);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Context.Dispose();

    private int Insert(string nameOrAlias, string? options, out string message)
    {
        ArgumentNullException.ThrowIfNull(nameOrAlias);
        message = string.Empty;
        if (Context.Lookup(nameOrAlias, out var found) != 0 || found.Count == 0)
        {
            message = $"Module {nameOrAlias} not found in directory {ModuleDirectory}";
            return Errno.ENOENT;
        }

        var prober = new ModuleProber(Context);
        foreach (var module in found)
        {
            int error = prober.Insert(module, ProbeFlags.ApplyBlacklistAliasOnly, options);
            if (error < 0)
            {
                message = $"could not insert '{module.Name}': {Errno.Describe(-error)}";
                return -error;
            }
        }

        return 0;
    }

    private ModuleDetails? TryRead(string nameOrAlias, out int errno, out string message)
    {
        ArgumentNullException.ThrowIfNull(nameOrAlias);
        if (Context.Lookup(nameOrAlias, out var found) != 0 || found.Count == 0)
        {
            errno = Errno.ENOENT;
            message = $"Module {nameOrAlias} not found.";
            return null;
        }

        var module = found[0];
        string? path = Context.GetPath(module);
        bool builtin = path is null && Context.IsBuiltin(module);
        errno = builtin
            ? BuiltinModInfo.TryRead(Path.Combine(ModuleDirectory, BuiltinModInfo.FileName), module.Name, out var entries)
            : ModuleFile.TryGetInfo(path, out entries, out _, Context.Profile.SignatureRules, Context.Profile.ZstdDecoding);
        if (errno != 0 && !(builtin && errno == Errno.ENOENT))
        {
            message = $"could not get modinfo from '{module.Name}': {Errno.Describe(errno)}";
            return null;
        }

        errno = 0;
        message = string.Empty;
        var fields = new List<KeyValuePair<string, string>>();
        var parameters = new ModuleParameterList();
        foreach (var entry in entries)
        {
            if (!ModuleParameterList.IsParameterEntry(entry))
            {
                fields.Add(new(entry.Key, entry.Value));
            }
            else
            {
                parameters.TryAdd(entry);
            }
        }

        return new ModuleDetails(
            module.Name,
            path,
            [.. Context.GetDependencies(module).Select(d => Context.GetPath(d) ?? d.Name)],
            fields,
            [.. parameters.InPrintOrder().Select(p => new ModuleParameter(
                Text(p.Name), p.Type is { } type ? Text(type) : null, p.Description is { } description ? Text(description) : null))]);
    }

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);
}
