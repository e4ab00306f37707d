using System.Runtime.InteropServices;
using ModKit.Config;
using ModKit.Kernel;
using ModKit.Probe;

namespace ModKit.Native;

/// <summary>
/// What a <c>struct kmod_ctx *</c> points at (through a <see cref="GCHandle"/>): ModKit's
/// <see cref="ModuleContext"/>, kmod's reference count and settings, and the modules alive in it.
/// </summary>
internal sealed unsafe class KmodContext
{
    /// <summary>libkmod's log priorities.</summary>
    public const int LogErr = 3;

    // Each live module wrapper, by ModKit's module object: one kmod_module per name (and alias).
    private readonly Dictionary<ProbeModule, KmodModule> _live = new(ReferenceEqualityComparer.Instance);

    private byte* _dirname;

    // The configuration's entries as C strings, by kind (kmod_config_get_*), made on first use.
    private readonly ConfigEntry[]?[] _configEntries = new ConfigEntry[]?[7];

    private KmodContext(string dirname, ModuleContext modules, List<(string Path, DateTime Stamp)> configStamps)
    {
        Dirname = dirname;
        _dirname = NativeString.Copy(dirname);
        Modules = modules;
        ConfigStamps = configStamps;
        Handle = GCHandle.ToIntPtr(GCHandle.Alloc(this));
        modules.Log = (priority, message) => NativeLog.Write(this, priority, FunctionOf(message), message);
    }

    /// <summary>The pointer programs hold.</summary>
    public nint Handle { get; }

    public int RefCount { get; set; } = 1;

    public string Dirname { get; }

    public byte* DirnamePointer => _dirname;

    public ModuleContext Modules { get; }

    public nint UserData { get; set; }

    /// <summary>The program's log function, or 0 for kmod's default (stderr).</summary>
    public nint LogFunction { get; set; }

    public nint LogData { get; set; }

    public int LogPriority { get; set; } = LogErr;

    /// <summary>The configuration paths read at creation and their modification times (for <c>kmod_validate_resources</c>).</summary>
    public List<(string Path, DateTime Stamp)> ConfigStamps { get; }

    /// <summary>The modification times of the indexes loaded by <c>kmod_load_resources</c>, by file name.</summary>
    public Dictionary<string, DateTime> IndexStamps { get; } = new(StringComparer.Ordinal);

    /// <summary>The context a program's pointer stands for, or <see langword="null"/> for NULL.</summary>
    public static KmodContext? From(nint handle) => handle == 0 ? null : (KmodContext?)GCHandle.FromIntPtr(handle).Target;

    /// <summary><c>kmod_new</c>: the module directory (absolute, or <c>/lib/modules/`uname -r`</c>) and its configuration.</summary>
    public static KmodContext Create(string? dirname, IReadOnlyList<string>? configPaths)
    {
        var profile = KmodProfile.FromName(Environment.GetEnvironmentVariable("MODKIT_KMOD")) ?? KmodProfile.BuildDefault;
        var kernel = new LinuxKernel();
        string directory = dirname is null ? "/lib/modules/" + kernel.Release : MakeAbsolute(dirname);

        // kmod_new reads KMOD_LOG before the configuration, whose errors it logs.
        int priority = LogErr;
        if (Environment.GetEnvironmentVariable("KMOD_LOG") is { } env)
        {
            priority = ParseLogPriority(env);
        }

        var pending = new List<ConfigDiagnostic>();
        var config = new ModprobeConfigLoader
        {
            Profile = profile,
            ConfigPaths = configPaths,
            ModuleDirectory = directory,
            OnDiagnostic = pending.Add,
        }.Load();

        var stamps = new List<(string, DateTime)>();
        foreach (string path in configPaths ?? profile.ModprobeConfigDirectories)
        {
            if (File.Exists(path) || Directory.Exists(path))
            {
                stamps.Add((path, File.GetLastWriteTimeUtc(path)));
            }
        }

        var modules = new ModuleContext(directory, config, kernel, loadResources: false) { Profile = profile };
        var context = new KmodContext(directory, modules, stamps) { LogPriority = priority };
        foreach (var diagnostic in pending)
        {
            NativeLog.Write(context, LogErr, diagnostic.Function, diagnostic.Message);
        }

        return context;
    }

    /// <summary><c>kmod_unref</c> reached zero: closes the indexes and frees what the program could point at.</summary>
    public void Release()
    {
        foreach (var entries in _configEntries)
        {
            foreach (var entry in entries ?? [])
            {
                NativeMemory.Free(entry.Key);
                NativeMemory.Free(entry.Value);
            }
        }

        Modules.Dispose();
        NativeString.Free(ref _dirname);
        GCHandle.FromIntPtr(Handle).Free();
    }

    /// <summary>
    /// One kind of configuration entry (kmod's config_type: 0 blacklist, 1 install, 2 remove, 3 alias,
    /// 4 options, 5 softdep, 6 weakdep) as key and value, in the order kmod keeps them.
    /// </summary>
    public ConfigEntry[] ConfigEntries(int kind)
    {
        if (_configEntries[kind] is { } made)
        {
            return made;
        }

        var config = Modules.Config;
        IEnumerable<(string Key, string? Value)> entries = kind switch
        {
            0 => config.Blacklist.Select(name => (name, (string?)null)),
            1 => config.InstallCommands.Select(command => (command.ModuleName, (string?)command.Command)),
            2 => config.RemoveCommands.Select(command => (command.ModuleName, (string?)command.Command)),
            3 => config.Aliases.Select(alias => (alias.Pattern, (string?)alias.ModuleName)),
            4 => config.Options.Select(options => (options.ModuleName, (string?)options.Options)),
            6 => config.WeakDependencies.Select(weakdep => (weakdep.ModuleName, (string?)string.Join(' ', weakdep.Modules))),
            _ => config.SoftDependencies.Select(softdep => (softdep.ModuleName, (string?)ModprobeConfigFormatter.SoftDependencyValue(softdep))),
        };
        return _configEntries[kind] = [.. entries.Select(entry => new ConfigEntry((nint)NativeString.Copy(entry.Key), (nint)NativeString.Copy(entry.Value)))];
    }

    /// <summary>The <c>kmod_module</c> for ModKit's module, with one more reference (a new one starts at 1 and holds the context).</summary>
    public KmodModule Ref(ProbeModule module)
    {
        module = Modules.Pooled(module);
        if (_live.TryGetValue(module, out var live))
        {
            live.RefCount++;
        }
        else
        {
            live = new KmodModule(this, module);
            _live.Add(module, live);
            RefCount++;
        }

        live.PinDependencies();
        return live;
    }

    /// <summary>Lets ModKit forget the modules it made for a request that no program holds (kmod frees them).</summary>
    public void ForgetUnheld() => Modules.ForgetUnless(_live.ContainsKey);

    /// <summary>A module's last reference is gone: ModKit forgets it, as kmod frees it.</summary>
    public void Forget(KmodModule module)
    {
        _live.Remove(module.Module);
        Modules.Forget(module.Module);
    }

    // libkmod's log_priority: a number, else "err", "info" or "debug" by prefix, else 0.
    private static int ParseLogPriority(string text)
    {
        int end = 0;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || (end == 0 && text[end] is '-' or '+')))
        {
            end++;
        }

        if (end > 0 && (end == text.Length || char.IsWhiteSpace(text[end])) && int.TryParse(text.AsSpan(0, end), out int number))
        {
            return number;
        }

        return text.StartsWith("err", StringComparison.Ordinal) ? LogErr
            : text.StartsWith("info", StringComparison.Ordinal) ? 6
            : text.StartsWith("debug", StringComparison.Ordinal) ? 7
            : 0;
    }

    // path_make_absolute_cwd: a relative path is put after the working directory, nothing else changes.
    public static string MakeAbsolute(string path) =>
        path.StartsWith('/') ? path : Environment.CurrentDirectory.TrimEnd('/') + "/" + path;

    // The libkmod function that logs each of ModuleContext's messages, for kmod's "libkmod: FUNCTION: " prefix.
    private static string FunctionOf(string message) =>
        message.StartsWith("kmod_module '", StringComparison.Ordinal) ? "kmod_module_new_from_path"
        : message.StartsWith("ctx=", StringComparison.Ordinal) ? "kmod_module_parse_depline"
        : message.StartsWith("failed to lookup soft dependency", StringComparison.Ordinal) ? "lookup_softdep"
        : message.StartsWith("failed to lookup dependency", StringComparison.Ordinal) ? "lookup_dep"
        : message.StartsWith("unknown /sys/module/", StringComparison.Ordinal) ? "kmod_module_get_initstate"
        : "libkmod";
}
