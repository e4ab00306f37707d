using ModKit.Elf;
using static ModKit.Tests.Elf.SyntheticElf;

namespace ModKit.Tests.Elf;

/// <summary>
/// <see cref="ModuleSymbols.GetExports"/> as kmod 30's <c>kmod_elf_get_symbols</c>: <c>__crc_*</c> symbols with
/// CRCs absolute or stored in <c>__kcrctab</c> (<c>kmod_elf_resolve_crc</c>), else every string of
/// <c>__ksymtab_strings</c> with CRC 0 and binding GLOBAL.
/// </summary>
public sealed class ModuleExportsTests
{
    private static readonly byte Global = Info(StbGlobal, SttNoType);

    [Theory]
    [AllElfFormats]
    public void Absolute_CRCs_are_the_symbol_values(ElfClass elfClass, ElfByteOrder order)
    {
        // Kernels before 5.19: __crc_<sym> is an SHN_ABS symbol whose value is the CRC.
        var elf = new SyntheticElf(elfClass, order);
        int text = elf.AddSection(".text", [0xC3]);
        elf.AddSymbol("usb_register", 0, Info(StbGlobal, SttFunc), (ushort)text);
        elf.AddSymbol("__crc_usb_register", 0x1A2B3C4D, Global, ShnAbs);
        elf.AddSymbol("__crc_usb_deregister", 0xFFFFFFFF, Global, ShnAbs);
        elf.AddSymbol("__crc_undef_crc", 0x42, Global, ShnUndef); // SHN_UNDEF also means "value is the CRC"
        if (elfClass == ElfClass.Elf64)
        {
            elf.AddSymbol("__crc_wide", 0x1_0000_0002, Global, ShnAbs); // all 64 bits of st_value
        }

        var exports = ModuleSymbols.GetExports(elf.Open());
        List<ModuleSymbol> expected =
        [
            new("usb_register", 0x1A2B3C4D, SymbolBinding.Global),
            new("usb_deregister", 0xFFFFFFFF, SymbolBinding.Global),
            new("undef_crc", 0x42, SymbolBinding.Global),
        ];
        if (elfClass == ElfClass.Elf64)
        {
            expected.Add(new("wide", 0x1_0000_0002, SymbolBinding.Global));
        }

        Assert.Equal(expected, exports);
    }

    [Theory]
    [AllElfFormats]
    public void Stored_CRCs_are_read_from_kcrctab_at_the_symbol_value(ElfClass elfClass, ElfByteOrder order)
    {
        // Kernels since 5.19: the CRC is a u32 in __kcrctab(_gpl), in file byte order, at st_value.
        var elf = new SyntheticElf(elfClass, order);
        int kcrctab = elf.AddSection("__kcrctab", [.. elf.U32(0x11111111), .. elf.U32(0xCAFEBABE), .. elf.U32(0x00C0FFEE)]);
        int gpl = elf.AddSection("__kcrctab_gpl", [0, 0, .. elf.U32(0x87654321)]);
        elf.AddSymbol("__crc_second", 4, Global, (ushort)kcrctab);
        elf.AddSymbol("__crc_third", 8, Global, (ushort)kcrctab);   // the last 4 bytes: still in range
        elf.AddSymbol("__crc_first", 0, Global, (ushort)kcrctab);
        elf.AddSymbol("__crc_unaligned", 2, Global, (ushort)gpl);

        Assert.Equal(
        [
            new ModuleSymbol("second", 0xCAFEBABE, SymbolBinding.Global),
            new ModuleSymbol("third", 0x00C0FFEE, SymbolBinding.Global),
            new ModuleSymbol("first", 0x11111111, SymbolBinding.Global),
            new ModuleSymbol("unaligned", 0x87654321, SymbolBinding.Global),
        ], ModuleSymbols.GetExports(elf.Open()));
    }

    [Theory]
    [AllElfFormats]
    public void Unresolvable_stored_CRCs_are_all_ones(ElfClass elfClass, ElfByteOrder order)
    {
        var elf = new SyntheticElf(elfClass, order);
        int kcrctab = elf.AddSection("__kcrctab", [.. elf.U32(1), .. elf.U32(2)]);
        int outside = elf.AddSection("__kcrctab_gpl", [.. elf.U32(3)]);
        elf[outside].OffsetOverride = 1 << 20;
        elf.AddSymbol("__crc_past_end", 5, Global, (ushort)kcrctab);        // 5 + 4 > 8
        elf.AddSymbol("__crc_far", uint.MaxValue, Global, (ushort)kcrctab);
        elf.AddSymbol("__crc_no_section", 0, Global, 0x7FF0);               // index past e_shnum
        elf.AddSymbol("__crc_common", 0, Global, 0xFFF2);                   // SHN_COMMON is no section either
        elf.AddSymbol("__crc_bad_section", 0, Global, (ushort)outside);      // section data outside the file
        elf.AddSymbol("__crc_ok", 4, Global, (ushort)kcrctab);

        Assert.Equal(
        [
            new ModuleSymbol("past_end", ulong.MaxValue, SymbolBinding.Global),
            new ModuleSymbol("far", ulong.MaxValue, SymbolBinding.Global),
            new ModuleSymbol("no_section", ulong.MaxValue, SymbolBinding.Global),
            new ModuleSymbol("common", ulong.MaxValue, SymbolBinding.Global),
            new ModuleSymbol("bad_section", ulong.MaxValue, SymbolBinding.Global),
            new ModuleSymbol("ok", 2, SymbolBinding.Global),
        ], ModuleSymbols.GetExports(elf.Open()));
    }

    [Theory]
    [AllElfFormats]
    public void Binding_comes_from_st_info(ElfClass elfClass, ElfByteOrder order)
    {
        var elf = new SyntheticElf(elfClass, order);
        elf.AddSymbol("__crc_local", 1, Info(StbLocal, SttObject), ShnAbs);
        elf.AddSymbol("__crc_global", 2, Info(StbGlobal, SttObject), ShnAbs);
        elf.AddSymbol("__crc_weak", 3, Info(StbWeak, SttObject), ShnAbs);
        elf.AddSymbol("__crc_gnu_unique", 4, Info(10, SttObject), ShnAbs); // STB_GNU_UNIQUE: kmod has no letter
        elf.AddSymbol("__crc_hiproc", 5, Info(15, SttObject), ShnAbs);

        Assert.Equal(
            [SymbolBinding.Local, SymbolBinding.Global, SymbolBinding.Weak, SymbolBinding.None, SymbolBinding.None],
            ModuleSymbols.GetExports(elf.Open()).Select(s => s.Binding));
    }

    [Theory]
    [AllElfFormats]
    public void Only_crc_prefixed_symbols_count(ElfClass elfClass, ElfByteOrder order)
    {
        var elf = new SyntheticElf(elfClass, order);
        elf.AddSection("__ksymtab_strings", Strings("never_used"));
        elf.AddSymbol("", 0, Global, ShnAbs);
        elf.AddSymbol("__crc", 1, Global, ShnAbs);
        elf.AddSymbol("_crc_x", 2, Global, ShnAbs);
        elf.AddSymbol("__CRC_x", 3, Global, ShnAbs);
        elf.AddSymbol("x__crc_y", 4, Global, ShnAbs);
        elf.AddSymbol("__crc_real", 5, Global, ShnAbs);
        Assert.Equal([new ModuleSymbol("real", 5, SymbolBinding.Global)], ModuleSymbols.GetExports(elf.Open()));
    }

    [Theory]
    [AllElfFormats]
    public void Without_crc_symbols_ksymtab_strings_are_the_exports(ElfClass elfClass, ElfByteOrder order)
    {
        // CONFIG_MODVERSIONS=n. Padding, runs of NULs and an unterminated last string as for .modinfo;
        // namespace strings come along (kmod-behavior.md §5.3).
        var elf = new SyntheticElf(elfClass, order);
        elf.AddSection("__ksymtab_strings", [0, 0, .. "usb_stor_probe\0USB_STORAGE\0\0\0fill_inquiry"u8]);
        int text = elf.AddSection(".text", [0xC3]);
        elf.AddSymbol("usb_stor_probe", 0, Info(StbGlobal, SttFunc), (ushort)text);
        elf.AddSymbol("printk", 0, Global, ShnUndef);

        Assert.Equal(
        [
            new ModuleSymbol("usb_stor_probe", 0, SymbolBinding.Global),
            new ModuleSymbol("USB_STORAGE", 0, SymbolBinding.Global),
            new ModuleSymbol("fill_inquiry", 0, SymbolBinding.Global),
        ], ModuleSymbols.GetExports(elf.Open()));
    }

    [Theory]
    [AllElfFormats]
    public void Any_name_offset_outside_strtab_falls_back_to_ksymtab_strings(ElfClass elfClass, ElfByteOrder order)
    {
        var elf = new SyntheticElf(elfClass, order);
        elf.AddSection("__ksymtab_strings", Strings("from_strings"));
        elf.AddSymbol("__crc_from_symtab", 1, Global, ShnAbs);
        elf.AddSymbol("broken", 0, Global, ShnUndef, nameOffset: 0x10000); // not even a __crc_ symbol
        Assert.Equal([new ModuleSymbol("from_strings", 0, SymbolBinding.Global)], ModuleSymbols.GetExports(elf.Open()));

        // strtab is "\0__crc_a\0" (9 bytes): offset 8, its last NUL, is inside; offset 9 is outside.
        foreach ((uint offset, string expected) in new[] { (8u, "a"), (9u, "from_strings") })
        {
            var edge = new SyntheticElf(elfClass, order);
            edge.AddSection("__ksymtab_strings", Strings("from_strings"));
            edge.AddSymbol("__crc_a", 0, Global, ShnAbs);
            edge.AddSymbol("", 0, Global, ShnUndef, nameOffset: offset);
            Assert.Equal(expected, Assert.Single(ModuleSymbols.GetExports(edge.Open())).Name);
        }
    }

    [Theory]
    [AllElfFormats]
    public void Unusable_symbol_tables_fall_back_to_ksymtab_strings(ElfClass elfClass, ElfByteOrder order)
    {
        var expected = new[] { new ModuleSymbol("from_strings", 0, SymbolBinding.Global) };
        foreach (var corrupt in new Action<SyntheticElf>[]
        {
            e => e.SymTab.Name = ".symtab.gone",
            e => e.StrTab.Name = ".strtab.gone",
            e => e.SymTab.SizeOverride = (ulong)(2 * e.SymbolSize + 1),   // not a multiple of the entry size
            e => e.StrTab.OffsetOverride = 1 << 20,                       // skipped, hence missing
        })
        {
            var elf = new SyntheticElf(elfClass, order);
            elf.AddSection("__ksymtab_strings", Strings("from_strings"));
            elf.AddSymbol("__crc_sym", 1, Global, ShnAbs);
            corrupt(elf);
            Assert.Equal(expected, ModuleSymbols.GetExports(elf.Open()));
        }
    }

    [Theory]
    [AllElfFormats]
    public void No_crc_symbols_and_no_ksymtab_strings_export_nothing(ElfClass elfClass, ElfByteOrder order)
    {
        // kmod_module_get_symbols fails with ENOENT without either table (TryGetExports is false), and
        // succeeds with nothing when __ksymtab_strings exists but holds no name.
        var elf = new SyntheticElf(elfClass, order);
        elf.AddSection(".modinfo", Strings("license=GPL"));
        Assert.Empty(ModuleSymbols.GetExports(elf.Open()));
        Assert.False(ModuleSymbols.TryGetExports(elf.Open(), out _));
        elf.AddSymbol("printk", 0, Global, ShnUndef);
        Assert.Empty(ModuleSymbols.GetExports(elf.Open()));
        Assert.False(ModuleSymbols.TryGetExports(elf.Open(), out _));
        elf.AddSection("__ksymtab_strings", [0]);
        Assert.Empty(ModuleSymbols.GetExports(elf.Open()));
        Assert.True(ModuleSymbols.TryGetExports(elf.Open(), out var exports));
        Assert.Empty(exports);
    }
}
