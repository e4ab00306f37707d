namespace ModKit.Depmod;

/// <summary>What one depmod run works on and how (the library side of <c>depmod</c>'s command line).</summary>
public sealed class DepmodSettings
{
    /// <summary>Creates settings for a module directory.</summary>
    /// <param name="moduleDirectory">The directory holding the modules, e.g. <c>/lib/modules/6.1.0-56-amd64</c>.</param>
    public DepmodSettings(string moduleDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(moduleDirectory);
        ModuleDirectory = moduleDirectory.Length > 1 ? moduleDirectory.TrimEnd('/') : moduleDirectory;
    }

    /// <summary>The module directory: modules are scanned below it and its modules.order, modules.builtin and
    /// modules.builtin.modinfo are read.</summary>
    public string ModuleDirectory { get; }

    /// <summary>
    /// The kmod release whose rules the run follows where releases differ (how modules.order ranks a module listed
    /// twice: <see cref="KmodProfile.DepmodModulesOrderFirstLineWins"/>; how <c>.ko.zst</c> is decoded and whether libkmod's
    /// decompression errors are logged: <see cref="KmodProfile.ZstdDecoding"/>, <see cref="KmodProfile.LogsDecompressionErrors"/>);
    /// the build's default unless given.
    /// </summary>
    public KmodProfile Profile { get; init; } = KmodProfile.BuildDefault;

    /// <summary>The depmod.d configuration; the default has no entries (search list <c>updates</c>).</summary>
    public DepmodConfiguration Configuration { get; init; } = new();

    /// <summary>When set, only these absolute module paths are used instead of scanning the directory.</summary>
    public IReadOnlyList<string>? ModulePaths { get; init; }

    /// <summary>The architecture's symbol prefix to strip (<c>-P</c>), or NUL for none.</summary>
    public char SymbolPrefix { get; init; }

    /// <summary>Symbols of the kernel image with their CRCs (<c>-E</c> Module.symvers or <c>-F</c> System.map),
    /// or null. When set, depmod also knows the fake symbols <c>__this_module</c>, <c>_GLOBAL_OFFSET_TABLE_</c> and <c>TOC.</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, ulong>>? KernelSymbols { get; init; }

    /// <summary>Whether the CRCs of <see cref="KernelSymbols"/> are meaningful (<c>-E</c>): mismatches are reported.</summary>
    public bool CheckSymbolVersions { get; init; }

    /// <summary>Report unresolved symbols and version mismatches (<c>-e</c>; needs <see cref="KernelSymbols"/>).</summary>
    public bool ReportUnresolved { get; init; }

    /// <summary>Warn about duplicate values in the indexes (<c>-w</c>).</summary>
    public bool WarnDuplicates { get; init; }

    /// <summary>Report each resolved dependency (<c>-v</c>).</summary>
    public bool Verbose { get; init; }

    /// <summary>
    /// Whether index keys and values may hold bytes of 0x80 and more where no child slot needs them, as kmod 30
    /// built for x86 accepts them (see <see cref="ModKit.Index.IndexWriter.AllowNonAsciiOutsideChildTables"/>). True by default;
    /// a profile that refuses them (<see cref="KmodProfile.DepmodRefusesNonAsciiIndexText"/>) refuses them either way.
    /// </summary>
    public bool AllowNonAsciiOutsideChildTables { get; init; } = true;

    /// <summary>How many modules are read at once; 0 means one per processor.</summary>
    public int MaxParallelism { get; init; }

    /// <summary>Receives depmod's messages, with the text kmod prints after its prefix (no trailing newline).</summary>
    public Action<DepmodLogLevel, string>? Log { get; init; }
}
