using ModKit.Elf;

namespace ModKit.Depmod;

/// <summary>One module as depmod sees it after a run: where it is, what it provides and what it depends on.</summary>
public sealed class DepmodModule
{
    internal DepmodModule(string name, string path, string? relativePath)
    {
        Name = name;
        Path = path;
        RelativePath = relativePath;
    }

    /// <summary>The normalized module name (dashes as underscores, up to the first dot).</summary>
    public string Name { get; }

    /// <summary>The module file's full path.</summary>
    public string Path { get; }

    /// <summary>The path relative to the module directory, or null for a module outside it (an external directory).</summary>
    public string? RelativePath { get; }

    /// <summary>The path written to modules.dep: <see cref="RelativePath"/>, or the full path for external modules.</summary>
    public string OutputPath => RelativePath ?? Path;

    /// <summary>The module's position in depmod's order (modules.order first); its priority in the indexes.</summary>
    public int Index { get; internal set; }

    /// <summary>The modules it uses directly, in kmod's order (most basic last once sorted).</summary>
    public IReadOnlyList<DepmodModule> Dependencies => DirectDependencies;

    /// <summary>The <c>alias</c>, <c>softdep</c> and <c>weakdep</c> values of <c>.modinfo</c>, in file order.</summary>
    public IReadOnlyList<ModInfoEntry> Info { get; internal set; } = [];

    internal List<DepmodModule> DirectDependencies { get; } = [];

    internal int SortKey { get; set; } = 1;

    internal int DependencyOrder { get; set; } = int.MaxValue;

    internal int Users { get; set; }

    internal List<ModuleSymbol> Exports { get; set; } = [];

    internal NeededSymbols Needs { get; set; }

    /// <summary>The path relative to the module directory with <c>.ko</c> for any compression suffix, as listed in modules.order.</summary>
    internal string? UncompressedRelativePath { get; init; }

    /// <summary>The size of a compressed file as the directory scan found it (which orders the reads), or null.</summary>
    internal long? CompressedLength { get; init; }

    /// <inheritdoc/>
    public override string ToString() => OutputPath;
}
