using ModKit.Elf;
using static ModKit.Tests.Elf.SyntheticElf;

namespace ModKit.Tests.Elf;

/// <summary>
/// <see cref="ModuleSymbols.GetDependencies"/> as kmod 30's <c>kmod_elf_get_dependency_symbols</c>: undefined
/// symbols in table order with the CRC of the matching <c>__versions</c> record, then the records nothing matched.
/// </summary>
public sealed class ModuleDependenciesTests
{
    private static readonly byte Global = Info(StbGlobal, SttNoType);
    private static readonly byte Weak = Info(StbWeak, SttNoType);

    private static int ErrorOf(SyntheticElf elf) =>
        Assert.Throws<ModuleFormatException>(() => ModuleSymbols.GetDependencies(elf.Open())).ErrorNumber;

    [Theory]
    [AllElfFormats]
    public void Undefined_symbols_in_table_order_then_unmatched_versions(ElfClass elfClass, ElfByteOrder order)
    {
        var elf = new SyntheticElf(elfClass, order);
        int text = elf.AddSection(".text", [0xC3]);
        elf.AddSection("__versions",
        [
            .. elf.VersionRecord(0x0BADF00D, "module_layout"),
            .. elf.VersionRecord(0x11, "usb_register_driver"),
            .. elf.VersionRecord(0x22, "printk"),
            .. elf.VersionRecord(0x33, "struct_module"),
        ]);
        elf.AddSymbol("my_probe", 0, Info(StbGlobal, SttFunc), (ushort)text);   // defined: not needed
        elf.AddSymbol("printk", 0, Global, ShnUndef);
        elf.AddSymbol("", 0, Global, ShnUndef);                                  // empty name: skipped
        elf.AddSymbol("maybe_there", 0, Weak, ShnUndef);
        elf.AddSymbol("usb_register_driver", 0, Info(StbGlobal, SttFunc), ShnUndef);
        elf.AddSymbol("local_undef", 0, Info(StbLocal, SttNoType), ShnUndef);  // anything not weak is 'U'
        elf.AddSymbol("printk", 0, Weak, ShnUndef);                               // a second reference finds the record too
        elf.AddSymbol("jiffies", 0, Global, ShnAbs);

        Assert.Equal(
        [
            new ModuleSymbol("printk", 0x22, SymbolBinding.Undefined),
            new ModuleSymbol("maybe_there", 0, SymbolBinding.Weak),
            new ModuleSymbol("usb_register_driver", 0x11, SymbolBinding.Undefined),
            new ModuleSymbol("local_undef", 0, SymbolBinding.Undefined),
            new ModuleSymbol("printk", 0x22, SymbolBinding.Weak),
            new ModuleSymbol("module_layout", 0x0BADF00D, SymbolBinding.Undefined),
            new ModuleSymbol("struct_module", 0x33, SymbolBinding.Undefined),
        ], ModuleSymbols.GetDependencies(elf.Open()));
    }

    [Theory]
    [AllElfFormats]
    public void Among_many_versions_the_first_record_of_a_name_matches(ElfClass elfClass, ElfByteOrder order)
    {
        // Past 16 records the lookup goes through a hash of each name: duplicates still give the first record's CRC,
        // and the later copy is appended as unmatched, as kmod's scan from the first record does.
        var elf = new SyntheticElf(elfClass, order);
        var records = new List<byte>();
        for (int i = 0; i < 40; i++)
            records.AddRange(elf.VersionRecord((ulong)(100 + i), i == 30 ? "sym_7" : $"sym_{i}"));
        elf.AddSection("__versions", [.. records]);
        elf.AddSymbol("sym_7", 0, Global, ShnUndef);
        elf.AddSymbol("sym_39", 0, Global, ShnUndef);
        elf.AddSymbol("sym_40", 0, Global, ShnUndef);
        elf.AddSymbol("sym_", 0, Global, ShnUndef);

        var found = ModuleSymbols.GetDependencies(elf.Open());
        (string, ulong)[] expected = [("sym_7", 107), ("sym_39", 139), ("sym_40", 0), ("sym_", 0)];
        Assert.Equal(expected, found.Take(4).Select(d => (d.Name, d.Crc)));
        var unmatched = found.Skip(4).Select(d => (d.Name, d.Crc)).ToList();
        Assert.Equal(38, unmatched.Count);
        Assert.Contains(("sym_7", 130UL), unmatched);
        Assert.DoesNotContain(("sym_7", 107UL), unmatched);
        Assert.DoesNotContain(("sym_39", 139UL), unmatched);
    }

    [Theory]
    [AllElfFormats]
    public void Version_CRCs_are_word_sized(ElfClass elfClass, ElfByteOrder order)
    {
        var elf = new SyntheticElf(elfClass, order);
        ulong crc = elfClass == ElfClass.Elf32 ? 0xF1E2D3C4 : 0xF1E2D3C4B5A69788;
        elf.AddSection("__versions", [.. elf.VersionRecord(crc, "kfree"), .. elf.VersionRecord(crc - 1, "module_layout")]);
        elf.AddSymbol("kfree", 0, Global, ShnUndef);
        Assert.Equal(
            [new ModuleSymbol("kfree", crc, SymbolBinding.Undefined), new ModuleSymbol("module_layout", crc - 1, SymbolBinding.Undefined)],
            ModuleSymbols.GetDependencies(elf.Open()));
    }

    [Theory]
    [AllElfFormats]
    public void Versions_match_exact_names_and_keep_their_dot(ElfClass elfClass, ElfByteOrder order)
    {
        // kmod_elf_crc_find compares the whole record name, dot included, and the unmatched records are
        // appended as stored: only kmod_elf_get_modversions drops the leading '.'.
        var elf = new SyntheticElf(elfClass, order);
        elf.AddSection("__versions",
        [
            .. elf.VersionRecord(1, ".memcpy"),
            .. elf.VersionRecord(2, "memset"),
            .. elf.VersionRecord(3, ".strlen"),
        ]);
        elf.AddSymbol(".memcpy", 0, Global, ShnUndef);
        elf.AddSymbol("memse", 0, Global, ShnUndef);
        elf.AddSymbol("strlen", 0, Global, ShnUndef);

        Assert.Equal(
        [
            new ModuleSymbol(".memcpy", 1, SymbolBinding.Undefined),
            new ModuleSymbol("memse", 0, SymbolBinding.Undefined),
            new ModuleSymbol("strlen", 0, SymbolBinding.Undefined),
            new ModuleSymbol("memset", 2, SymbolBinding.Undefined),
            new ModuleSymbol(".strlen", 3, SymbolBinding.Undefined),
        ], ModuleSymbols.GetDependencies(elf.Open()));
    }

    [Theory]
    [AllElfFormats]
    public void Names_that_differ_only_in_invalid_UTF8_do_not_match(ElfClass elfClass, ElfByteOrder order)
    {
        // "s\xFE" and "s\xFF" both decode to "s\uFFFD"; kmod compares bytes (streq).
        var elf = new SyntheticElf(elfClass, order);
        elf.AddSection("__versions", elf.VersionRecord(9, [(byte)'s', 0xFE]));
        elf.AddSection(".strtab", [0, (byte)'s', 0xFF, 0]); // comes first, so it is the .strtab kmod uses
        elf.AddSymbol("", 0, Global, ShnUndef, nameOffset: 1);
        Assert.Equal([0UL, 9UL], ModuleSymbols.GetDependencies(elf.Open()).Select(d => d.Crc));
    }

    [Theory]
    [AllElfFormats]
    public void Without_usable_versions_CRCs_are_zero(ElfClass elfClass, ElfByteOrder order)
    {
        byte[] record = new SyntheticElf(elfClass, order).VersionRecord(5, "kfree");
        foreach (byte[]? versions in new byte[]?[] { null, [], record[..63], [.. record, 0] })
        {
            var elf = new SyntheticElf(elfClass, order);
            if (versions is not null)
            {
                // A __versions of the wrong size is ignored here, not an error (unlike GetVersions).
                elf.AddSection("__versions", versions);
            }

            elf.AddSymbol("kfree", 0, Global, ShnUndef);
            Assert.Equal([new ModuleSymbol("kfree", 0, SymbolBinding.Undefined)], ModuleSymbols.GetDependencies(elf.Open()));
        }
    }

    [Theory]
    [InlineData(ElfClass.Elf32, ElfByteOrder.LittleEndian, SyntheticElf.EmSparc)]
    [InlineData(ElfClass.Elf32, ElfByteOrder.BigEndian, SyntheticElf.EmSparc)]
    [InlineData(ElfClass.Elf64, ElfByteOrder.LittleEndian, SyntheticElf.EmSparcV9)]
    [InlineData(ElfClass.Elf64, ElfByteOrder.BigEndian, SyntheticElf.EmSparcV9)]
    public void SPARC_register_symbols_are_not_dependencies(ElfClass elfClass, ElfByteOrder order, ushort sparc)
    {
        var elf = new SyntheticElf(elfClass, order, sparc);
        elf.AddSymbol("__g6", 0, Info(StbGlobal, SttRegister), ShnUndef);
        elf.AddSymbol("printk", 0, Global, ShnUndef);
        // Skipped before its name is looked at: an out-of-table name is no error here.
        elf.AddSymbol("", 0, Info(StbGlobal, SttRegister), ShnUndef, nameOffset: 0x10000);
        Assert.Equal([new ModuleSymbol("printk", 0, SymbolBinding.Undefined)], ModuleSymbols.GetDependencies(elf.Open()));

        // Other machines have no register symbols: type 13 is just a type.
        elf.Machine = EmX86_64;
        elf.AddSymbol("__g7", 0, Info(StbGlobal, SttRegister), ShnUndef);
        Assert.Equal(Errno.EINVAL, ErrorOf(elf)); // now the out-of-table name counts
    }

    [Theory]
    [AllElfFormats]
    public void Register_type_is_kept_off_SPARC(ElfClass elfClass, ElfByteOrder order)
    {
        var elf = new SyntheticElf(elfClass, order, EmI386);
        elf.AddSymbol("__g6", 0, Info(StbGlobal, SttRegister), ShnUndef);
        Assert.Equal([new ModuleSymbol("__g6", 0, SymbolBinding.Undefined)], ModuleSymbols.GetDependencies(elf.Open()));
    }

    [Theory]
    [AllElfFormats]
    public void Undefined_symbol_named_outside_strtab_is_invalid(ElfClass elfClass, ElfByteOrder order)
    {
        // kmod: name_off >= strtablen for an undefined symbol fails the whole call with EINVAL.
        var elf = new SyntheticElf(elfClass, order);
        elf.AddSymbol("printk", 0, Global, ShnUndef);
        elf.AddSymbol("", 0, Global, ShnUndef, nameOffset: (uint)"\0printk\0".Length);
        Assert.Equal(Errno.EINVAL, ErrorOf(elf));

        // A defined symbol is never looked at.
        var defined = new SyntheticElf(elfClass, order);
        defined.AddSymbol("printk", 0, Global, ShnUndef);
        defined.AddSymbol("", 0, Global, ShnAbs, nameOffset: 0x10000);
        Assert.Equal([new ModuleSymbol("printk", 0, SymbolBinding.Undefined)], ModuleSymbols.GetDependencies(defined.Open()));
    }

    [Theory]
    [AllElfFormats]
    public void Missing_or_malformed_symbol_table_is_invalid(ElfClass elfClass, ElfByteOrder order)
    {
        foreach (var corrupt in new Action<SyntheticElf>[]
        {
            e => e.HasSymbolTable = false,
            e => e.SymTab.Name = ".symtab.gone",
            e => e.StrTab.Name = ".strtab.gone",
            e => e.SymTab.SizeOverride = (ulong)e.SymbolSize + 1,
            e => e.SymTab.OffsetOverride = 1 << 20,
        })
        {
            var elf = new SyntheticElf(elfClass, order);
            elf.AddSection("__versions", elf.VersionRecord(1, "module_layout"));
            elf.AddSymbol("printk", 0, Global, ShnUndef);
            corrupt(elf);
            Assert.Equal(Errno.EINVAL, ErrorOf(elf));
        }
    }

    [Theory]
    [AllElfFormats]
    public void Only_the_null_symbol_needs_nothing(ElfClass elfClass, ElfByteOrder order)
    {
        var elf = new SyntheticElf(elfClass, order) { HasSymbolTable = true };
        Assert.Empty(ModuleSymbols.GetDependencies(elf.Open()));
        elf.AddSection("__versions", elf.VersionRecord(7, "module_layout"));
        Assert.Equal([new ModuleSymbol("module_layout", 7, SymbolBinding.Undefined)], ModuleSymbols.GetDependencies(elf.Open()));
    }
}
