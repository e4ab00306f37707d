using System.Text;

namespace ModKit.Elf;

/// <summary>
/// Reads what a module exports and needs from its ELF tables, with kmod's rules
/// (<c>libkmod/libkmod-elf.c</c>: <c>kmod_elf_get_modversions</c>, <c>kmod_elf_get_symbols</c>,
/// <c>kmod_elf_get_dependency_symbols</c>). Strings are always bounded by their section, where kmod
/// would read past a missing NUL.
/// </summary>
public static class ModuleSymbols
{
    /// <summary>The size of one <c>__versions</c> record: a CRC word then a NUL-padded name.</summary>
    public const int VersionRecordSize = 64;

    private static ReadOnlySpan<byte> CrcPrefix => "__crc_"u8;

    /// <summary>Reads the <c>__versions</c> records (what <c>modprobe --show-modversions</c> prints).</summary>
    /// <param name="elf">The module.</param>
    /// <returns>The records in file order; empty when the section is empty.</returns>
    /// <exception cref="ModuleFormatException">
    /// The section is missing (<see cref="Errno.ENOENT"/>, as kmod 30 reports it), its size is not a
    /// multiple of 64, or a record's name does not end with NUL inside the record (<see cref="Errno.EINVAL"/>).
    /// </exception>
    public static List<ModuleSymbol> GetVersions(ElfFile elf)
    {
        if (!elf.TryGetSectionMemory("__versions", out var memory))
        {
            ModuleFormatException.Throw("no __versions section", Errno.ENOENT);
        }

        var data = memory.Span;

        if (data.Length % VersionRecordSize != 0)
        {
            ModuleFormatException.Throw("__versions size is not a multiple of 64");
        }

        var result = new List<ModuleSymbol>(data.Length / VersionRecordSize);
        foreach (var record in VersionRecords(elf, data))
        {
            // PPC64 ELFv1 function descriptors carry a leading dot; kmod_elf_get_modversions drops it.
            var shown = record.Name(data);
            if (!shown.IsEmpty && shown[0] == (byte)'.')
            {
                shown = shown[1..];
            }

            result.Add(new ModuleSymbol(Encoding.UTF8.GetString(shown), record.Crc, SymbolBinding.Undefined));
        }

        return result;
    }

    /// <summary>
    /// Reads the symbols a module exports: every <c>__crc_*</c> symbol of <c>.symtab</c> with its CRC
    /// (read from the <c>__kcrctab</c> data on kernels since 5.19), or, when there are none or the
    /// tables are unusable, every string of <c>__ksymtab_strings</c> with CRC 0.
    /// </summary>
    /// <param name="elf">The module.</param>
    /// <param name="names">Where the names' strings are shared (depmod's across a tree), or <see langword="null"/> for new strings.</param>
    /// <returns>The exported symbols.</returns>
    public static List<ModuleSymbol> GetExports(ElfFile elf, SymbolNameTable? names = null)
    {
        TryGetExports(elf, out var exports, names);
        return exports;
    }

    /// <summary>
    /// Reads the symbols a module exports as <see cref="GetExports"/> does, and tells whether
    /// <c>kmod_module_get_symbols</c> would succeed: it fails with ENOENT when the module has no
    /// <c>__crc_*</c> symbol and no <c>__ksymtab_strings</c> section to fall back to (a module that exports
    /// nothing), which <c>modprobe --show-exports</c> reports as an error.
    /// </summary>
    /// <param name="elf">The module.</param>
    /// <param name="exports">The exported symbols; empty when the method returns false.</param>
    /// <param name="names">Where the names' strings are shared, or <see langword="null"/> for new strings.</param>
    /// <returns>False when neither table exists.</returns>
    public static bool TryGetExports(ElfFile elf, out List<ModuleSymbol> exports, SymbolNameTable? names = null)
    {
        var fromSymtab = ExportsFromSymtab(elf, names);
        if (fromSymtab is not null)
        {
            exports = fromSymtab;
            return true;
        }

        exports = [];
        if (!elf.TryGetSectionMemory("__ksymtab_strings", out var memory))
        {
            return false;
        }

        var strings = memory.Span;
        foreach (var range in NulSeparatedStrings.Split(strings))
        {
            exports.Add(new ModuleSymbol(Name(strings[range], names), 0, SymbolBinding.Global));
        }

        return true;
    }

    /// <summary>
    /// Reads the symbols a module needs: undefined <c>.symtab</c> entries in table order, with the CRC
    /// of the matching <c>__versions</c> record, then the <c>__versions</c> records no symbol matched.
    /// </summary>
    /// <param name="elf">The module.</param>
    /// <param name="names">Where the names' strings are shared, or <see langword="null"/> for new strings.</param>
    /// <returns>The needed symbols.</returns>
    /// <exception cref="ModuleFormatException">
    /// The module has no usable <c>.symtab</c>/<c>.strtab</c>, an undefined symbol's name lies outside
    /// <c>.strtab</c>, or a <c>__versions</c> record's name does not end with NUL (all <see cref="Errno.EINVAL"/>).
    /// </exception>
    public static List<ModuleSymbol> GetDependencies(ElfFile elf, SymbolNameTable? names = null)
    {
        var sink = new ListSink(names);
        ReadDependencies(elf, ref sink);
        return sink.Symbols;
    }

    /// <summary>
    /// Reads the symbols a module needs as <see cref="GetDependencies"/> does, handing each to <paramref name="sink"/>
    /// in the same order: depmod keeps them in its own form.
    /// </summary>
    /// <exception cref="ModuleFormatException">As <see cref="GetDependencies"/>.</exception>
    internal static void ReadDependencies<TSink>(ElfFile elf, ref TSink sink)
        where TSink : struct, INeededSymbolSink
    {
        if (!elf.TryGetSectionMemory("__versions", out var versionMemory) || versionMemory.Length % VersionRecordSize != 0)
        {
            versionMemory = ReadOnlyMemory<byte>.Empty;
        }

        var versionData = versionMemory.Span;
        var versions = VersionRecords(elf, versionData);

        bool hasTables = elf.TryGetSectionMemory(".strtab", out var strtabMemory);
        hasTables &= elf.TryGetSectionMemory(".symtab", out var symtabMemory);
        if (!hasTables)
        {
            ModuleFormatException.Throw("no symbol table");
        }

        var strtab = strtabMemory.Span;
        var symtab = symtabMemory.Span;

        int symSize = elf.Class == ElfClass.Elf32 ? ElfLayout.Symbol32Size : ElfLayout.Symbol64Size;
        if (symtab.Length % symSize != 0)
        {
            ModuleFormatException.Throw("symbol table size is not a multiple of its entry size");
        }

        var visited = new bool[versions.Length];
        var lookup = new VersionRecordLookup(versions, versionData);
        bool sparc = elf.Machine is ElfLayout.EmSparc or ElfLayout.EmSparcV9;
        foreach (var sym in Symbols(elf, symtab, strtab))
        {
            if (sym.Shndx != ElfLayout.ShnUndef)
            {
                continue;
            }

            if (sparc && (sym.Info & 0xF) == ElfLayout.SttRegister)
            {
                continue;
            }

            // kmod_elf_get_dependency_symbols fails the whole call with EINVAL when an undefined symbol's
            // name lies outside .strtab (checked after the SPARC register skip, before the empty-name skip).
            if (sym.NameOffset >= strtab.Length)
            {
                ModuleFormatException.Throw("undefined symbol name lies outside .strtab");
            }

            var symbolName = sym.Name;
            if (symbolName.IsEmpty)
            {
                continue;
            }

            // kmod_elf_crc_find: the first record whose name equals the symbol's byte for byte (streq),
            // leading '.' included.
            ulong crc = 0;
            int match = lookup.Find(symbolName, versionData);
            if (match >= 0)
            {
                crc = versions[match].Crc;
                visited[match] = true;
            }

            var bind = (sym.Info >> 4) == 2 ? SymbolBinding.Weak : SymbolBinding.Undefined;
            sink.Add(symbolName, crc, bind);
        }

        // Records no symbol matched (module_layout) are appended with their names as stored: unlike
        // kmod_elf_get_modversions, kmod_elf_get_dependency_symbols keeps a leading '.'.
        for (int v = 0; v < versions.Length; v++)
        {
            if (!visited[v])
            {
                sink.Add(versions[v].Name(versionData), versions[v].Crc, SymbolBinding.Undefined);
            }
        }
    }

    // GetDependencies' form: a list of symbols with their names as strings.
    private struct ListSink(SymbolNameTable? names) : INeededSymbolSink
    {
        public List<ModuleSymbol> Symbols { get; } = [];

        public readonly void Add(ReadOnlySpan<byte> name, ulong crc, SymbolBinding binding) =>
            Symbols.Add(new ModuleSymbol(Name(name, names), crc, binding));
    }

    // The __versions records: each CRC and where its name lies in data (the name's bytes before the NUL).
    private static VersionRecord[] VersionRecords(ElfFile elf, ReadOnlySpan<byte> data)
    {
        int crcSize = elf.WordSize;
        var fields = elf.Fields;
        var records = new VersionRecord[data.Length / VersionRecordSize];
        for (int i = 0; i < records.Length; i++)
        {
            int off = i * VersionRecordSize;
            ulong crc = fields.Word(data, off, crcSize);
            int end = data.Slice(off + crcSize, VersionRecordSize - crcSize).IndexOf((byte)0);

            // A name must end inside its record (kmod-behavior.md §5.5; kmod since 0930e7b "Validate symbol
            // names in ELF files" returns EINVAL, kmod 30 read on into the next record).
            if (end < 0)
            {
                ModuleFormatException.Throw("__versions record name is not NUL-terminated");
            }

            records[i] = new VersionRecord(crc, off + crcSize, end);
        }

        return records;
    }

    private static List<ModuleSymbol>? ExportsFromSymtab(ElfFile elf, SymbolNameTable? names)
    {
        if (!elf.TryGetSectionMemory(".strtab", out var strtabMemory) || !elf.TryGetSectionMemory(".symtab", out var symtabMemory))
        {
            return null;
        }

        var strtab = strtabMemory.Span;
        var symtab = symtabMemory.Span;

        int symSize = elf.Class == ElfClass.Elf32 ? ElfLayout.Symbol32Size : ElfLayout.Symbol64Size;
        if (symtab.Length % symSize != 0)
        {
            return null;
        }

        var result = new List<ModuleSymbol>();
        CrcTable crcTable = default;
        foreach (var sym in Symbols(elf, symtab, strtab))
        {
            if (sym.NameOffset >= strtab.Length)
            {
                return null; // kmod falls back to __ksymtab_strings on any out-of-table name
            }

            // The prefix holds no NUL: the bytes at the name's offset start with it only if the name does.
            if (!strtab[(int)sym.NameOffset..].StartsWith(CrcPrefix))
            {
                continue;
            }

            string name = Name(sym.Name[CrcPrefix.Length..], names);
            ulong crc = ResolveCrc(elf, sym.Value, sym.Shndx, ref crcTable);
            var bind = (sym.Info >> 4) switch
            {
                0 => SymbolBinding.Local,
                1 => SymbolBinding.Global,
                2 => SymbolBinding.Weak,
                _ => SymbolBinding.None,
            };
            result.Add(new ModuleSymbol(name, crc, bind));
        }

        return result.Count == 0 ? null : result;
    }

    // Kernels before 5.19 store a CRC as the symbol's absolute value; newer ones store it as a u32 in
    // a __kcrctab section, and the symbol's value is its offset there.
    private static ulong ResolveCrc(ElfFile elf, ulong value, ushort shndx, ref CrcTable table)
    {
        if (shndx is ElfLayout.ShnAbs or ElfLayout.ShnUndef)
        {
            return value;
        }

        if (!table.Chosen || table.Section != shndx)
        {
            // TryGetSection also checks that the section's data lies inside the file.
            if (!elf.TryGetSection(shndx, out var section) || section.Size < 4 || value > (ulong)section.Size - 4)
            {
                return ulong.MaxValue;
            }

            if (table.Chosen || section.Size > CrcTable.MaxSize)
            {
                Span<byte> crc = stackalloc byte[4];
                elf.Source.ReadExactly(section.Offset + (long)value, crc);
                return elf.Fields.U32(crc, 0);
            }

            table = new CrcTable(shndx, elf.Source.GetMemory(section.Offset, section.Size));
        }

        // The table is a whole section of at least 4 bytes.
        return value <= (ulong)table.Data.Length - 4 ? elf.Fields.U32(table.Data.Span, (int)value) : ulong.MaxValue;
    }

    // The section the CRCs are read from (__kcrctab), read whole for the first CRC that points into one of at most
    // MaxSize bytes: one read per module instead of one per exported symbol (30,000 over Debian 12's tree). CRCs in
    // any other section, which no module built by kbuild has, are read four bytes at a time, so that a hostile file
    // cannot make every symbol read a whole section.
    private readonly struct CrcTable(ushort section, ReadOnlyMemory<byte> data)
    {
        public const long MaxSize = 1 << 20;

        public bool Chosen { get; } = true;

        public ushort Section { get; } = section;

        public ReadOnlyMemory<byte> Data { get; } = data;
    }

    // A .symtab entry; its name is found in .strtab only when asked for (most entries are skipped by their section).
    private readonly ref struct RawSymbol(ReadOnlySpan<byte> strtab, uint nameOffset, ulong value, byte info, ushort shndx)
    {
        private readonly ReadOnlySpan<byte> _strtab = strtab;

        public ReadOnlySpan<byte> Name => NameOffset < _strtab.Length ? CString(_strtab[(int)NameOffset..]) : default;
        public uint NameOffset { get; } = nameOffset;
        public ulong Value { get; } = value;
        public byte Info { get; } = info;
        public ushort Shndx { get; } = shndx;
    }

    private static SymbolEnumerable Symbols(ElfFile elf, ReadOnlySpan<byte> symtab, ReadOnlySpan<byte> strtab) => new(elf, symtab, strtab);

    private readonly ref struct SymbolEnumerable(ElfFile elf, ReadOnlySpan<byte> symtab, ReadOnlySpan<byte> strtab)
    {
        private readonly ElfFile _elf = elf;
        private readonly ReadOnlySpan<byte> _symtab = symtab;
        private readonly ReadOnlySpan<byte> _strtab = strtab;

        public SymbolEnumerator GetEnumerator() => new(_elf, _symtab, _strtab);
    }

    private ref struct SymbolEnumerator(ElfFile elf, ReadOnlySpan<byte> symtab, ReadOnlySpan<byte> strtab)
    {
        private readonly bool _is32 = elf.Class == ElfClass.Elf32;
        private readonly ElfFieldReader _fields = elf.Fields;
        private readonly ReadOnlySpan<byte> _symtab = symtab;
        private readonly ReadOnlySpan<byte> _strtab = strtab;
        private int _offset = 0; // entry 0 is the null symbol and is skipped

        public RawSymbol Current { get; private set; }

        public bool MoveNext()
        {
            int size = _is32 ? ElfLayout.Symbol32Size : ElfLayout.Symbol64Size;
            _offset += size;
            if (_offset + size > _symtab.Length)
            {
                return false;
            }

            var entry = _symtab.Slice(_offset, size);
            uint nameOffset = _fields.U32(entry, 0);
            ulong value = _is32 ? _fields.U32(entry, ElfLayout.StValue32) : _fields.U64(entry, ElfLayout.StValue64);
            byte info = entry[_is32 ? ElfLayout.StInfo32 : ElfLayout.StInfo64];
            ushort shndx = _fields.U16(entry, _is32 ? ElfLayout.StShndx32 : ElfLayout.StShndx64);
            Current = new RawSymbol(_strtab, nameOffset, value, info, shndx);
            return true;
        }
    }

    private static string Name(ReadOnlySpan<byte> utf8, SymbolNameTable? names) => names?.Get(utf8) ?? Encoding.UTF8.GetString(utf8);

    private static ReadOnlySpan<byte> CString(ReadOnlySpan<byte> data)
    {
        int end = data.IndexOf((byte)0);
        return end < 0 ? data : data[..end];
    }
}
