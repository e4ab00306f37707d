using ModKit.Elf;

namespace ModKit.Depmod;

public static partial class DepmodEngine
{
    /// <summary>
    /// Builds the symbol table — kernel symbols first, then each module's exports in module order, a later
    /// exporter replacing an earlier one — and resolves every needed symbol (kmod <c>depmod_load_modules</c>,
    /// <c>depmod_load_module_dependencies</c>).
    /// </summary>
    private static Dictionary<string, DepmodSymbol> ResolveSymbols(List<DepmodModule> modules, SymbolNameTable names, DepmodSettings settings,
        Action<DepmodLogLevel, string> log)
    {
        char prefix = settings.SymbolPrefix;
        var symbols = new Dictionary<string, DepmodSymbol>(StringComparer.Ordinal);
        bool reportUnresolved = settings.ReportUnresolved;
        if (settings.KernelSymbols is { } kernel)
        {
            foreach (var (name, crc) in kernel)
            {
                string n = prefix != '\0' && name.Length > 0 && name[0] == prefix ? name[1..] : name;
                symbols[n] = new DepmodSymbol(n, crc, null);
            }

            // kmod depmod_add_fake_syms: symbols the loader provides.
            symbols["__this_module"] = new DepmodSymbol("__this_module", 0, null);
            symbols["_GLOBAL_OFFSET_TABLE_"] = new DepmodSymbol("_GLOBAL_OFFSET_TABLE_", 0, null);
            symbols.TryAdd("TOC.", new DepmodSymbol("TOC.", 0, null));
        }
        else if (reportUnresolved)
        {
            log(DepmodLogLevel.Warning, "-e needs -E or -F");
            reportUnresolved = false;
        }

        foreach (var module in modules)
        {
            foreach (var export in module.Exports)
            {
                string n = prefix != '\0' && export.Name.Length > 0 && export.Name[0] == prefix ? export.Name[1..] : export.Name;
                symbols[n] = new DepmodSymbol(n, export.Crc, module);
            }
        }

        // Each distinct name is looked up once, by its number in the name table.
        var found = new DepmodSymbol?[names.Count];
        var looked = new bool[names.Count];
        foreach (var module in modules)
        {
            var needs = module.Needs;
            for (int i = 0; i < needs.Count; i++)
            {
                int id = needs.NameId(i);
                if (!looked[id])
                {
                    found[id] = Find(symbols, names[id], prefix);
                    looked[id] = true;
                }

                var symbol = found[id];
                bool weak = needs.IsWeak(i);
                if (symbol is null)
                {
                    if (reportUnresolved && !weak)
                        log(DepmodLogLevel.Warning, $"{module.Path} needs unknown symbol {names[id]}");
                    continue;
                }

                if (settings.CheckSymbolVersions && reportUnresolved && symbol.Crc != needs.Crc(i) && !weak)
                    log(DepmodLogLevel.Warning, $"{module.Path} disagrees about version of symbol {names[id]}");

                if (symbol.Owner is { } owner && !module.DirectDependencies.Contains(owner))
                {
                    module.DirectDependencies.Add(owner);
                    owner.Users++;
                    if (settings.Verbose)
                        log(DepmodLogLevel.Verbose, $"{module.Path} needs \"{symbol.Name}\": {owner.Path}");
                }
            }

            module.Needs = default;
            module.Exports = [];
        }

        return symbols;
    }

    private static DepmodSymbol? Find(Dictionary<string, DepmodSymbol> symbols, string name, char prefix)
    {
        var span = name.AsSpan();
        if (span.Length > 0 && span[0] == '.')
            span = span[1..];
        if (prefix != '\0' && span.Length > 0 && span[0] == prefix)
            span = span[1..];
        return symbols.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(span, out var symbol) ? symbol : null;
    }

    /// <summary>
    /// Orders modules so that users come before what they use (kmod <c>depmod_calculate_dependencies</c>): the
    /// modules nobody uses are pushed on a stack in module order; each one popped gets the next position and
    /// releases its dependencies, in the order they were found, onto the stack. Modules never released are in
    /// dependency cycles; they are returned.
    /// </summary>
    private static List<DepmodModule> OrderDependencies(List<DepmodModule> modules)
    {
        var users = new int[modules.Count];
        var stack = new Stack<DepmodModule>();
        foreach (var module in modules)
        {
            users[module.Index] = module.Users;
            if (module.Users == 0)
                stack.Push(module);
        }

        int sorted = 0;
        while (stack.Count > 0)
        {
            var module = stack.Pop();
            module.DependencyOrder = sorted++;
            foreach (var dependency in module.DirectDependencies)
            {
                if (--users[dependency.Index] == 0)
                    stack.Push(dependency);
            }
        }

        var inCycles = modules.Where(m => users[m.Index] > 0).ToList();
        if (inCycles.Count == 0)
        {
            foreach (var module in modules)
                module.DirectDependencies.Sort((a, b) => a.DependencyOrder.CompareTo(b.DependencyOrder));
        }

        return inCycles;
    }
}
