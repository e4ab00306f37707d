namespace ModKit.Depmod;

/// <summary>The outcome of <see cref="DepmodEngine.Run"/>: the modules in depmod's order and the files to write.</summary>
public sealed partial class DepmodResult
{
    private readonly DepmodSettings _settings;
    private readonly Dictionary<string, DepmodSymbol> _symbols;

    internal DepmodResult(DepmodSettings settings, List<DepmodModule> modules, Dictionary<string, DepmodSymbol> symbols, List<DepmodModule> cycles)
    {
        _settings = settings;
        _symbols = symbols;
        Modules = modules;
        ModulesInCycles = cycles;
    }

    /// <summary>The modules in depmod's order: modules.order first, then the others in kmod's hash-table order.</summary>
    public IReadOnlyList<DepmodModule> Modules { get; }

    /// <summary>The modules that are part of, or depend on, a dependency cycle; when not empty depmod writes nothing.</summary>
    public IReadOnlyList<DepmodModule> ModulesInCycles { get; }

    /// <summary>The symbol table: every exported symbol with its owner, and the kernel's symbols when given.</summary>
    public IReadOnlyDictionary<string, DepmodSymbol> Symbols => _symbols;
}
