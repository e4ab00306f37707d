using ModKit.Elf;
using ModKit.Index;

namespace ModKit.Modules;

/// <summary>
/// A module directory such as <c>/lib/modules/6.1.0-56-amd64</c> and the lookups libkmod makes in
/// its index files (<c>libkmod/libkmod.c</c>, <c>libkmod/libkmod-module.c</c>). Index files are opened
/// for each lookup and read node by node, as kmod does when it has not preloaded them; a missing or
/// unreadable index is "no match", never an error.
/// </summary>
public sealed class ModuleDirectory : IDisposable
{
    private Dictionary<string, IndexFile?>? _openIndexes;

    /// <summary>Index file names, as depmod writes them.</summary>
    public const string DepIndex = "modules.dep.bin";
    /// <summary>The alias index.</summary>
    public const string AliasIndex = "modules.alias.bin";
    /// <summary>The symbol index.</summary>
    public const string SymbolIndex = "modules.symbols.bin";
    /// <summary>The index of builtin module names.</summary>
    public const string BuiltinIndex = "modules.builtin.bin";
    /// <summary>The index of builtin modules' aliases.</summary>
    public const string BuiltinAliasIndex = "modules.builtin.alias.bin";

    /// <summary>Creates a view of a module directory.</summary>
    /// <param name="path">The directory's absolute path.</param>
    /// <param name="tieOrder">
    /// The order of equal-priority index matches: <see cref="IndexTieOrder.Stdio"/> as kmod's modinfo
    /// (which does not preload the indexes) sees them, <see cref="IndexTieOrder.Mmap"/> as modprobe does.
    /// </param>
    public ModuleDirectory(string path, IndexTieOrder tieOrder = IndexTieOrder.Stdio)
    {
        Path = path;
        TieOrder = tieOrder;
    }

    /// <summary>
    /// Keep each index file open after its first lookup, until <see cref="Dispose"/> (as libkmod does after
    /// <c>kmod_load_resources</c>): worth it when one process makes many lookups, as modprobe does.
    /// </summary>
    public bool KeepIndexesOpen
    {
        get => _openIndexes is not null;
        init => _openIndexes = value ? new Dictionary<string, IndexFile?>(StringComparer.Ordinal) : null;
    }

    /// <summary>Closes the index files kept open (<see cref="KeepIndexesOpen"/>).</summary>
    public void Dispose()
    {
        if (_openIndexes is null)
        {
            return;
        }

        foreach (var file in _openIndexes.Values)
        {
            file?.Dispose();
        }

        _openIndexes.Clear();
    }

    /// <summary>The order in which equal-priority index matches are returned.</summary>
    public IndexTieOrder TieOrder { get; internal set; }

    /// <summary>The directory's absolute path.</summary>
    public string Path { get; }

    /// <summary>Looks up the <c>modules.dep</c> line of a module (<c>kmod_search_moddep</c>).</summary>
    /// <param name="name">The normalised module name.</param>
    /// <returns>The line (<c>path: dep dep</c>) or <see langword="null"/>.</returns>
    public string? FindDependencyLine(string name) => SearchExact(DepIndex, name);

    /// <summary>Whether <paramref name="name"/> is a key of <c>modules.builtin.bin</c>.</summary>
    /// <param name="name">The normalised module name.</param>
    public bool IsBuiltin(string name) => SearchExact(BuiltinIndex, name) is not null;

    /// <summary>
    /// Fills in the path and dependencies of <paramref name="module"/> from <c>modules.dep.bin</c>
    /// (<c>kmod_module_get_path</c>, <c>kmod_module_parse_depline</c>): relative paths are joined to
    /// this directory, absolute ones kept.
    /// </summary>
    /// <param name="module">The module.</param>
    /// <returns>The module's path, or <see langword="null"/> when the index does not list it.</returns>
    public string? ResolvePath(ModuleReference module)
    {
        if (module.Path is not null || module.Dependencies is not null)
        {
            return module.Path;
        }

        string? line = FindDependencyLine(module.Name);
        if (line is null)
        {
            return null;
        }

        if (!TrySplitDependencyLine(line, out string path, out var dependencies))
        {
            module.Dependencies = [];
            return null;
        }

        module.Path = path;
        module.Dependencies = dependencies;
        return module.Path;
    }

    /// <summary>
    /// Splits a <c>modules.dep</c> line (<c>path: dep dep</c>) into the module's path and its dependencies'
    /// paths, in line order, each relative path joined to this directory (<c>kmod_module_parse_depline</c>).
    /// </summary>
    /// <param name="line">The line.</param>
    /// <param name="path">The module's absolute path.</param>
    /// <param name="dependencies">The dependencies' absolute paths.</param>
    /// <returns>Whether the line has the <c>:</c> that ends the path.</returns>
    internal bool TrySplitDependencyLine(string line, out string path, out string[] dependencies)
    {
        int colon = line.IndexOf(':');
        if (colon < 0)
        {
            path = string.Empty;
            dependencies = [];
            return false;
        }

        path = Join(line.AsSpan(0, colon));

        // The words after the colon, each joined to the directory: one string per dependency, nothing else.
        var rest = line.AsSpan(colon + 1);
        int count = 0;
        foreach (var range in rest.SplitAny(" \t"))
        {
            count += rest[range].IsEmpty ? 0 : 1;
        }

        dependencies = new string[count];
        int n = 0;
        foreach (var range in rest.SplitAny(" \t"))
        {
            if (!rest[range].IsEmpty)
            {
                dependencies[n++] = Join(rest[range]);
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="module"/> is builtin, asking <c>modules.builtin.bin</c> if no lookup said so.</summary>
    /// <param name="module">The module.</param>
    public bool IsBuiltin(ModuleReference module)
    {
        module.Builtin ??= IsBuiltin(module.Name);
        return module.Builtin.Value;
    }

    /// <summary>
    /// Looks a module up by name only (<c>kmod_module_new_from_name_lookup</c>, modinfo <c>-m</c>):
    /// <c>modules.dep.bin</c>, then <c>modules.builtin.bin</c>, then <c>modules.builtin.alias.bin</c>.
    /// </summary>
    /// <param name="name">The name as given; it is normalised first.</param>
    /// <returns>The module, or <see langword="null"/>.</returns>
    public ModuleReference? LookupName(string name)
    {
        string normalized = ModuleName.Normalize(name);
        var found = FromDependencies(normalized) ?? FromBuiltins(normalized) ?? FromBuiltinAliases(normalized);
        return found?[0];
    }

    /// <summary>
    /// Resolves a name or alias through the indexes in kmod's order (<c>kmod_module_new_from_lookup</c>
    /// without configuration): <c>modules.dep.bin</c> (names without <c>:</c>), <c>modules.symbols.bin</c>
    /// (for <c>symbol:</c> names), <c>modules.alias.bin</c>, <c>modules.builtin.bin</c>,
    /// <c>modules.builtin.alias.bin</c>. The first source with a match wins.
    /// </summary>
    /// <param name="alias">The name or alias as given; it is normalised first.</param>
    /// <param name="modules">The matching modules, in index priority order; may repeat a module.</param>
    /// <returns>0, or <see cref="Errno.EINVAL"/> when the alias has unbalanced brackets.</returns>
    public int Lookup(string alias, out IReadOnlyList<ModuleReference> modules)
    {
        if (!ModuleName.TryNormalizeAlias(alias, out string normalized))
        {
            modules = [];
            return Errno.EINVAL;
        }

        modules = (normalized.Contains(':') ? null : FromDependencies(normalized))
            ?? (normalized.StartsWith("symbol:", StringComparison.Ordinal) ? FromAliasIndex(SymbolIndex, normalized, false) : null)
            ?? FromAliasIndex(AliasIndex, normalized, false)
            ?? FromBuiltins(normalized)
            ?? FromBuiltinAliases(normalized)
            ?? (IReadOnlyList<ModuleReference>)[];
        return 0;
    }

    /// <summary>
    /// Reads what modinfo shows for <paramref name="module"/> (<c>kmod_module_get_info</c>): the
    /// <c>modules.builtin.modinfo</c> strings of a builtin module, or the <c>.modinfo</c> strings and
    /// signature of its file.
    /// </summary>
    /// <param name="module">The module.</param>
    /// <param name="entries">The entries.</param>
    /// <returns>0, or the error number kmod reports.</returns>
    public int TryGetInfo(ModuleReference module, out List<ModInfoEntry> entries) => TryGetInfo(module, out entries, out _);

    /// <summary>As <see cref="TryGetInfo(ModuleReference, out List{ModInfoEntry})"/>, with what was wrong with a module file.</summary>
    /// <param name="module">The module.</param>
    /// <param name="entries">The entries.</param>
    /// <param name="failure">What was wrong with the module's file, when that was the failure; otherwise <see langword="null"/>.</param>
    /// <param name="signatureRules">How a PKCS#7 signature is read (kmod 30's rules by default).</param>
    /// <param name="zstd">How zstd data is decoded (kmod 30's streaming by default).</param>
    /// <returns>0, or the error number kmod 30 reports.</returns>
    public int TryGetInfo(ModuleReference module, out List<ModInfoEntry> entries, out ModuleFormatException? failure,
        Signing.SignatureRules signatureRules = Signing.SignatureRules.Kmod30OpenSsl30, Files.ZstdDecoding zstd = Files.ZstdDecoding.Streaming)
    {
        failure = null;
        if (IsBuiltin(module))
        {
            return BuiltinModInfo.TryRead(System.IO.Path.Combine(Path, BuiltinModInfo.FileName), module.Name, out entries);
        }

        return ModuleFile.TryGetInfo(ResolvePath(module), out entries, out failure, signatureRules, zstd);
    }

    private IReadOnlyList<ModuleReference>? FromDependencies(string name)
    {
        var module = new ModuleReference(name);
        return ResolvePath(module) is null && module.Dependencies is null ? null : [module];
    }

    private IReadOnlyList<ModuleReference>? FromBuiltins(string name) =>
        IsBuiltin(name) ? [new ModuleReference(name, builtin: true)] : null;

    private IReadOnlyList<ModuleReference>? FromBuiltinAliases(string name) => FromAliasIndex(BuiltinAliasIndex, name, true);

    /// <summary>
    /// Every value of a wildcard-aware index (<see cref="AliasIndex"/>, <see cref="SymbolIndex"/>,
    /// <see cref="BuiltinAliasIndex"/>) whose key matches <paramref name="key"/> (<c>index_searchwild</c>), in
    /// priority order then <see cref="TieOrder"/>.
    /// </summary>
    /// <param name="index">The index file name, e.g. <see cref="AliasIndex"/>.</param>
    /// <param name="key">The normalised alias.</param>
    /// <returns>The matches; empty when the index is missing or corrupt, as libkmod treats both.</returns>
    public IReadOnlyList<IndexValue> FindWildcard(string index, string key)
    {
        var file = OpenIndex(index);
        if (file is null)
        {
            return [];
        }

        try
        {
            return file.LookupWildcard(key, TieOrder);
        }
        catch (ModuleFormatException)
        {
            return []; // a corrupt index answers nothing, like one that cannot be opened
        }
        finally
        {
            CloseIndex(file);
        }
    }

    private IReadOnlyList<ModuleReference>? FromAliasIndex(string index, string key, bool builtin)
    {
        var values = FindWildcard(index, key);
        if (values.Count == 0)
        {
            return null;
        }

        var result = new ModuleReference[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            result[i] = new ModuleReference(values[i].Value, builtin: builtin ? true : null);
        }

        return result;
    }

    private string? SearchExact(string index, string key)
    {
        var file = OpenIndex(index);
        if (file is null)
        {
            return null;
        }

        try
        {
            return file.Lookup(key, TieOrder);
        }
        catch (ModuleFormatException)
        {
            return null;
        }
        finally
        {
            CloseIndex(file);
        }
    }

    /// <summary>
    /// Writes every entry of an index as <c>&lt;prefix&gt;&lt;key&gt; &lt;value&gt;</c> lines in <see cref="TieOrder"/>
    /// (<c>kmod_dump_index</c>): nothing when the index is missing, and only what precedes the damage when it
    /// is corrupt, as kmod's dump stops there.
    /// </summary>
    /// <param name="index">The index file name, e.g. <see cref="AliasIndex"/>.</param>
    /// <param name="output">Where to write the bytes (buffered here; not flushed).</param>
    /// <param name="linePrefix">What starts each line (modprobe -c: <c>"alias "</c>).</param>
    public void DumpIndex(string index, Stream output, string linePrefix)
    {
        var file = OpenIndex(index);
        if (file is null)
        {
            return;
        }

        try
        {
            file.Dump(output, linePrefix, TieOrder);
        }
        catch (ModuleFormatException)
        {
        }
        finally
        {
            CloseIndex(file);
        }
    }

    /// <summary>
    /// Every entry of an index in <see cref="TieOrder"/>, as <see cref="DumpIndex"/> writes them: nothing when the
    /// index is missing, and only what precedes the damage when it is corrupt.
    /// </summary>
    /// <param name="index">The index file name, e.g. <see cref="AliasIndex"/>.</param>
    /// <returns>The entries, read as the sequence is enumerated.</returns>
    public IEnumerable<IndexEntry> EnumerateIndex(string index)
    {
        var file = OpenIndex(index);
        if (file is null)
        {
            yield break;
        }

        try
        {
            using var entries = file.Enumerate(TieOrder).GetEnumerator();
            while (true)
            {
                try
                {
                    if (!entries.MoveNext())
                    {
                        yield break;
                    }
                }
                catch (ModuleFormatException)
                {
                    yield break;
                }

                yield return entries.Current;
            }
        }
        finally
        {
            CloseIndex(file);
        }
    }

    /// <summary>
    /// From now on, keep each index open after its first lookup (libkmod's <c>kmod_load_resources</c> on a
    /// context made without it), as <see cref="KeepIndexesOpen"/> does.
    /// </summary>
    internal void StartKeepingIndexesOpen() => _openIndexes ??= new Dictionary<string, IndexFile?>(StringComparer.Ordinal);

    /// <summary>Closes the indexes kept open and stops keeping them (<c>kmod_unload_resources</c>).</summary>
    internal void StopKeepingIndexesOpen()
    {
        Dispose();
        _openIndexes = null;
    }

    /// <summary>Whether an index is open and kept (see <see cref="Preload"/>).</summary>
    internal bool IsKeptOpen(string index) => _openIndexes is not null && _openIndexes.TryGetValue(index, out var file) && file is not null;

    /// <summary>Opens and keeps the given indexes (with <see cref="KeepIndexesOpen"/>); whether all of them opened.</summary>
    internal bool Preload(IEnumerable<string> indexes)
    {
        bool all = true;
        foreach (string index in indexes)
        {
            all &= OpenIndex(index) is not null;
        }

        return all;
    }

    private IndexFile? OpenIndex(string index)
    {
        if (_openIndexes is not null && _openIndexes.TryGetValue(index, out var kept))
        {
            return kept;
        }

        IndexFile.TryOpen(System.IO.Path.Combine(Path, index), out var file);
        if (_openIndexes is not null)
        {
            _openIndexes[index] = file;
        }

        return file;
    }

    private void CloseIndex(IndexFile file)
    {
        if (_openIndexes is null)
        {
            file.Dispose();
        }
    }

    private string Join(ReadOnlySpan<char> relative) => relative.StartsWith('/') ? relative.ToString() : string.Concat(Path, "/", relative);
}
