using ModKit.Elf;
using ModKit.Files;
using ModKit.Modules;

namespace ModKit.Depmod;

/// <summary>
/// depmod's engine: finds the modules of a module directory, reads them in parallel, orders them by
/// modules.order, resolves every needed symbol to the module exporting it and computes the dependency order
/// (kmod <c>tools/depmod.c</c>, docs/kmod-behavior.md §3.1). The files depmod writes come from the
/// <see cref="DepmodResult"/>.
/// </summary>
public static partial class DepmodEngine
{
    /// <summary>Runs depmod's analysis over a module directory.</summary>
    /// <param name="settings">The directory, configuration and options.</param>
    /// <returns>The modules in depmod's order with their dependencies, and what the outputs need.</returns>
    /// <exception cref="DirectoryNotFoundException">The module directory cannot be read.</exception>
    /// <exception cref="DepmodModuleLimitException">More modules than the profile's release numbers (<see cref="KmodProfile.DepmodModuleLimit"/>).</exception>
    public static DepmodResult Run(DepmodSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var log = settings.Log ?? ((_, _) => { });

        var found = settings.ModulePaths is { } paths ? FromPaths(settings, paths) : Scan(settings, log);
        if (settings.Profile.DepmodModuleLimit is { } limit && found.Count >= limit)
            throw new DepmodModuleLimitException(found.Count, limit);

        // kmod builds its module array by walking its module-name hash table, then sorts by modules.order.
        var modules = found.Values.ToList();
        KmodHashOrder.Sort(modules, m => m.Name, KmodHashOrder.ModuleBuckets);
        modules = SortByModulesOrder(settings.ModuleDirectory, modules, settings.Profile.DepmodModulesOrderFirstLineWins, log);
        for (int i = 0; i < modules.Count; i++)
            modules[i].Index = i;

        var names = ReadModules(modules, settings, log);
        var symbols = ResolveSymbols(modules, names, settings, log);
        var cycles = OrderDependencies(modules);
        return new DepmodResult(settings, modules, symbols, cycles);
    }

    private static Dictionary<string, DepmodModule> FromPaths(DepmodSettings settings, IReadOnlyList<string> paths)
    {
        var found = new Dictionary<string, DepmodModule>(StringComparer.Ordinal);
        foreach (string path in paths)
        {
            var module = NewModule(settings.ModuleDirectory, path);
            if (!found.TryAdd(module.Name, module))
                throw new ArgumentException($"{module.Name} is given twice ({path})", nameof(settings));
        }

        return found;
    }

    internal static DepmodModule NewModule(string moduleDirectory, string path, long? compressedLength = null)
    {
        string name = ModuleName.FromPath(path) ?? string.Empty;
        string? relative = null;
        string? uncompressed = null;
        if (path.Length > moduleDirectory.Length && path.StartsWith(moduleDirectory, StringComparison.Ordinal) && path[moduleDirectory.Length] == '/')
        {
            relative = path[(moduleDirectory.Length + 1)..];

            // kmod: the relative directory, then as many bytes of the file name as the module name has, then ".ko"'s length.
            int slash = relative.LastIndexOf('/');
            int length = Math.Min(relative.Length, slash + 1 + name.Length + 3);
            uncompressed = relative[..length];
        }

        return new DepmodModule(name, path, relative) { UncompressedRelativePath = uncompressed, CompressedLength = compressedLength };
    }

    /// <summary>
    /// Reads one of depmod's inputs in the module directory (modules.order, modules.builtin, modules.builtin.modinfo)
    /// as kmod's <c>dfdopen</c> opens it: the directory first, then the file in it, each failure a warning of its own.
    /// </summary>
    internal static bool TryReadInput(string moduleDirectory, string name, Action<DepmodLogLevel, string> log, out byte[] contents)
    {
        contents = [];
        if (!Directory.Exists(moduleDirectory))
        {
            log(DepmodLogLevel.Warning, $"could not open directory {moduleDirectory}: {Errno.Describe(Errno.ENOENT)}");
            return false;
        }

        try
        {
            contents = File.ReadAllBytes(Path.Combine(moduleDirectory, name));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log(DepmodLogLevel.Warning, $"could not open {name} at {moduleDirectory}: {Errno.DescribeFileError(e)}");
            return false;
        }
    }

    /// <summary>
    /// Sorts by modules.order (kmod <c>depmod_modules_sort</c>): listed modules first, in the order of their
    /// last listing (kmod 30) or of their first (kmod ≥ 34); the others after them in their current order. A
    /// missing file or a last line without a newline leaves the order as it is.
    /// </summary>
    private static List<DepmodModule> SortByModulesOrder(string moduleDirectory, List<DepmodModule> modules, bool firstLineWins,
        Action<DepmodLogLevel, string> log)
    {
        const string OrderFile = "modules.order";
        if (!TryReadInput(moduleDirectory, OrderFile, log, out byte[] contents))
            return modules;

        var lines = new List<string>();
        int start = 0;
        while (start < contents.Length)
        {
            int end = contents.AsSpan(start).IndexOf((byte)'\n');
            if (end < 0)
            {
                log(DepmodLogLevel.Error, $"{moduleDirectory}/{OrderFile}:{lines.Count + 1} corrupted line misses '\\n'");
                return modules;
            }

            lines.Add(System.Text.Encoding.UTF8.GetString(contents, start, end));
            start += end + 1;
        }

        var byPath = new Dictionary<string, DepmodModule>(StringComparer.Ordinal);
        foreach (var module in modules)
        {
            if (module.UncompressedRelativePath is { } key)
                byPath.TryAdd(key, module);
        }

        // Listed modules get negative keys, below every unlisted one's.
        int total = lines.Count + 1;
        for (int i = 0; i < lines.Count; i++)
        {
            if (byPath.TryGetValue(lines[i], out var module) && !(firstLineWins && module.SortKey < 0))
                module.SortKey = i + 1 - total;
        }

        // List.Sort is not stable; ties (unlisted modules) keep their order through the position.
        return modules.Select((m, i) => (m, i)).OrderBy(p => p.m.SortKey).ThenBy(p => p.i).Select(p => p.m).ToList();
    }


    /// <summary>Reads exports, needed symbols and the interesting <c>.modinfo</c> values of every module, in parallel.</summary>
    /// <returns>The table of the symbol names read, which the needed symbols refer to.</returns>
    private static SymbolNameTable ReadModules(List<DepmodModule> modules, DepmodSettings settings, Action<DepmodLogLevel, string> log)
    {
        int threads = settings.MaxParallelism > 0 ? settings.MaxParallelism : Environment.ProcessorCount;
        var errors = new List<string>?[modules.Count];
        var names = new SymbolNameTable();
        new ReadSchedule(modules).Run(threads, i => ReadModule(modules[i], settings, names, errors, i));

        foreach (var messages in errors)
        {
            foreach (string error in messages ?? [])
                log(DepmodLogLevel.Error, error);
        }

        return names;
    }

    private static void ReadModule(DepmodModule module, DepmodSettings settings, SymbolNameTable names, List<string>?[] errors, int i)
    {
        var profile = settings.Profile;
        try
        {
            // The sections read below are views of memory the file holds until it is closed, not copies.
            using var file = ModuleFile.Open(module.Path, profile.ZstdDecoding, sectionViews: true);
            var elf = file.Elf;
            try
            {
                module.Exports = ModuleSymbols.GetExports(elf, names);
            }
            catch (ModuleFormatException e)
            {
                errors[i] = [$"failed to load symbols from {module.Path}: {Errno.Describe(e.ErrorNumber)}"];
            }

            if (elf.TryGetSectionMemory(".modinfo", out var modinfo))
                module.Info = KeptInfo(modinfo.Span);

            try
            {
                var needs = new NeededSymbols.Collector(names, keepCrcs: settings.CheckSymbolVersions);
                ModuleSymbols.ReadDependencies(elf, ref needs);
                module.Needs = needs.ToNeeded();
            }
            catch (ModuleFormatException)
            {
                // kmod: no dependency symbols, nothing to resolve.
            }
        }
        catch (ModuleFormatException e)
        {
            errors[i] = FailedToLoad(module.Path, e, profile);
        }
    }

    /// <summary>
    /// The <c>alias</c>, <c>softdep</c> and <c>weakdep</c> entries of a <c>.modinfo</c> section, each copied out of the
    /// image (which is gone after this module) into one array holding its key and value; the other entries are
    /// only looked at.
    /// </summary>
    private static List<ModInfoEntry> KeptInfo(ReadOnlySpan<byte> modinfo)
    {
        List<ModInfoEntry>? kept = null;
        foreach (var range in NulSeparatedStrings.Split(modinfo))
        {
            var text = modinfo[range];
            int eq = text.IndexOf((byte)'=');
            var key = eq < 0 ? text : text[..eq];
            if (!key.SequenceEqual("alias"u8) && !key.SequenceEqual("softdep"u8) && !key.SequenceEqual("weakdep"u8))
                continue;

            byte[] copy = text.ToArray();
            kept ??= [];
            kept.Add(eq < 0 ? new ModInfoEntry(copy, ReadOnlyMemory<byte>.Empty) : new ModInfoEntry(copy.AsMemory(0, eq), copy.AsMemory(eq + 1)));
        }

        return kept ?? [];
    }

    /// <summary>
    /// The messages for a module file that cannot be loaded. A release that logs libkmod's decompression errors
    /// (<see cref="KmodProfile.LogsDecompressionErrors"/>) shows the decompressor's message before depmod's, then the
    /// messages of the two loads that follow (kmod asks for the <c>.modinfo</c> and for the dependency symbols of the same
    /// open file, and each loads it again).
    /// </summary>
    private static List<string> FailedToLoad(string path, ModuleFormatException failure, KmodProfile profile)
    {
        string message = $"failed to load symbols from {path}: {Errno.Describe(failure.ErrorNumber)}";
        if (!profile.LogsDecompressionErrors || failure.LibkmodFunction is null)
            return [message];

        return [failure.Message, message, .. ModuleFile.GetRetryMessages(path, failure, retries: 2, profile.ZstdDecoding)];
    }
}
