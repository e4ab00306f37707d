using ModKit.Elf;

namespace ModKit.Depmod;

/// <summary>
/// The symbols one module needs, as depmod keeps them until it resolves them: the numbers of their names in the
/// run's <see cref="SymbolNameTable"/>, weak ones marked, and their CRCs only when versions are checked. A tree's
/// 400,000 needed symbols are then arrays of numbers, which the garbage collector never traces.
/// </summary>
internal readonly struct NeededSymbols
{
    // A weak symbol's number is stored complemented (negative).
    private readonly int[]? _names;
    private readonly ulong[]? _crcs;

    private NeededSymbols(int[] names, ulong[]? crcs)
    {
        _names = names;
        _crcs = crcs;
    }

    public int Count => _names?.Length ?? 0;

    public int NameId(int i) => _names![i] < 0 ? ~_names[i] : _names[i];

    public bool IsWeak(int i) => _names![i] < 0;

    public ulong Crc(int i) => _crcs?[i] ?? 0;

    /// <summary>Collects one module's needed symbols into per-thread scratch lists, then copies them out at their size.</summary>
    public struct Collector : INeededSymbolSink
    {
        [ThreadStatic]
        private static List<int>? s_names;

        [ThreadStatic]
        private static List<ulong>? s_crcs;

        private readonly SymbolNameTable _table;
        private readonly List<int> _names;
        private readonly List<ulong>? _crcs;

        /// <summary>Starts a collection on this thread.</summary>
        /// <param name="table">Where the names are numbered.</param>
        /// <param name="keepCrcs">Whether the CRCs are kept (depmod checks versions).</param>
        public Collector(SymbolNameTable table, bool keepCrcs)
        {
            _table = table;
            _names = s_names ??= [];
            _names.Clear();
            _crcs = keepCrcs ? s_crcs ??= [] : null;
            _crcs?.Clear();
        }

        public readonly void Add(ReadOnlySpan<byte> name, ulong crc, SymbolBinding binding)
        {
            int id = _table.GetId(name);
            _names.Add(binding == SymbolBinding.Weak ? ~id : id);
            _crcs?.Add(crc);
        }

        public readonly NeededSymbols ToNeeded() => new([.. _names], _crcs is null ? null : [.. _crcs]);
    }
}
