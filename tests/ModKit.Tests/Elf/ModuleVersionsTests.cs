using System.Buffers.Binary;
using System.Text;
using ModKit.Elf;

namespace ModKit.Tests.Elf;

/// <summary>
/// <see cref="ModuleSymbols.GetVersions"/> reads <c>__versions</c> as kmod 30's <c>kmod_elf_get_modversions</c>:
/// 64-byte records, a CRC of 4 bytes (ELF32) or 8 bytes (ELF64) in file byte order, a leading '.' dropped.
/// </summary>
public sealed class ModuleVersionsTests
{
    private static ElfFile WithVersions(ElfClass elfClass, ElfByteOrder order, byte[] versions)
    {
        var builder = new SyntheticElf(elfClass, order);
        builder.AddSection(".modinfo", SyntheticElf.Strings("license=GPL"));
        builder.AddSection("__versions", versions);
        return builder.Open();
    }

    private static byte[] Record(ElfClass elfClass, ElfByteOrder order, ulong crc, string name)
    {
        // Written here with BinaryPrimitives rather than by the builder, so the expected layout is stated twice.
        var record = new byte[64];
        bool big = order == ElfByteOrder.BigEndian;
        if (elfClass == ElfClass.Elf32)
        {
            if (big) BinaryPrimitives.WriteUInt32BigEndian(record, (uint)crc);
            else BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)crc);
        }
        else if (big)
        {
            BinaryPrimitives.WriteUInt64BigEndian(record, crc);
        }
        else
        {
            BinaryPrimitives.WriteUInt64LittleEndian(record, crc);
        }

        Encoding.UTF8.GetBytes(name).CopyTo(record, elfClass == ElfClass.Elf32 ? 4 : 8);
        return record;
    }

    private static int ErrorOf(Action action) => Assert.Throws<ModuleFormatException>(action).ErrorNumber;

    [Theory]
    [AllElfFormats]
    public void Records_carry_a_word_sized_CRC_in_file_byte_order(ElfClass elfClass, ElfByteOrder order)
    {
        bool is32 = elfClass == ElfClass.Elf32;
        byte[] versions =
        [
            .. Record(elfClass, order, is32 ? 0x89ABCDEFUL : 0x0123456789ABCDEFUL, "module_layout"),
            .. Record(elfClass, order, 0x00000001, "printk"),
            .. Record(elfClass, order, is32 ? uint.MaxValue : ulong.MaxValue, "x"),
        ];
        var records = ModuleSymbols.GetVersions(WithVersions(elfClass, order, versions));
        Assert.Equal(
        [
            new ModuleSymbol("module_layout", is32 ? 0x89ABCDEFUL : 0x0123456789ABCDEFUL, SymbolBinding.Undefined),
            new ModuleSymbol("printk", 1, SymbolBinding.Undefined),
            new ModuleSymbol("x", is32 ? uint.MaxValue : ulong.MaxValue, SymbolBinding.Undefined),
        ], records);
    }

    [Theory]
    [AllElfFormats]
    public void One_leading_dot_is_dropped(ElfClass elfClass, ElfByteOrder order)
    {
        // PPC64 ELFv1 function descriptors.
        byte[] versions = [.. Record(elfClass, order, 1, ".memcpy"), .. Record(elfClass, order, 2, "..twice"), .. Record(elfClass, order, 3, "a.b")];
        Assert.Equal(["memcpy", ".twice", "a.b"], ModuleSymbols.GetVersions(WithVersions(elfClass, order, versions)).Select(v => v.Name));
    }

    [Theory]
    [AllElfFormats]
    public void Longest_name_fills_the_record_but_for_its_NUL(ElfClass elfClass, ElfByteOrder order)
    {
        string name = new('n', elfClass == ElfClass.Elf32 ? 59 : 55);
        var record = Assert.Single(ModuleSymbols.GetVersions(WithVersions(elfClass, order, Record(elfClass, order, 7, name))));
        Assert.Equal(name, record.Name);
    }

    [Theory]
    [AllElfFormats]
    public void Unterminated_name_is_invalid(ElfClass elfClass, ElfByteOrder order)
    {
        // kmod-behavior.md §5.5: an unterminated name is EINVAL (kmod 30 read past the record).
        string name = new('n', elfClass == ElfClass.Elf32 ? 60 : 56);
        byte[] versions = [.. Record(elfClass, order, 7, name), .. Record(elfClass, order, 8, "next")];
        Assert.Equal(Errno.EINVAL, ErrorOf(() => ModuleSymbols.GetVersions(WithVersions(elfClass, order, versions))));
    }

    [Theory]
    [AllElfFormats]
    public void Size_not_a_multiple_of_64_is_invalid(ElfClass elfClass, ElfByteOrder order)
    {
        byte[] record = Record(elfClass, order, 1, "printk");
        foreach (byte[] versions in new[] { record[..32], record[..63], [.. record, 0], [.. record, .. record[..60]] })
        {
            Assert.Equal(Errno.EINVAL, ErrorOf(() => ModuleSymbols.GetVersions(WithVersions(elfClass, order, versions))));
        }
    }

    [Theory]
    [AllElfFormats]
    public void Missing_section_is_ENOENT_as_in_kmod_30(ElfClass elfClass, ElfByteOrder order)
    {
        var builder = new SyntheticElf(elfClass, order);
        builder.AddSection(".modinfo", SyntheticElf.Strings("license=GPL"));
        Assert.Equal(Errno.ENOENT, ErrorOf(() => ModuleSymbols.GetVersions(builder.Open())));

        // A __versions section whose data lies outside the file is skipped, hence missing too.
        int index = builder.AddSection("__versions", Record(elfClass, order, 1, "printk"));
        builder[index].OffsetOverride = 1 << 20;
        Assert.Equal(Errno.ENOENT, ErrorOf(() => ModuleSymbols.GetVersions(builder.Open())));
    }

    [Theory]
    [AllElfFormats]
    public void Empty_section_has_no_records(ElfClass elfClass, ElfByteOrder order) =>
        Assert.Empty(ModuleSymbols.GetVersions(WithVersions(elfClass, order, [])));

    [Theory]
    [AllElfFormats]
    public void Builder_records_match_the_hand_written_layout(ElfClass elfClass, ElfByteOrder order) =>
        Assert.Equal(Record(elfClass, order, 0x1234, "abc"), new SyntheticElf(elfClass, order).VersionRecord(0x1234, "abc"));
}
