using ModKit.Elf;
using ModKit.IO;

namespace ModKit.Tests.Elf;

/// <summary>
/// <see cref="ElfFile.Open"/> accepts and rejects headers exactly where kmod 30's <c>kmod_elf_new</c> does
/// (<c>libkmod/libkmod-elf.c</c>): not ELF is ENOEXEC, everything else malformed is EINVAL.
/// </summary>
public sealed class ElfFileHeaderTests
{
    private static SyntheticElf Valid(ElfClass elfClass, ElfByteOrder order)
    {
        var elf = new SyntheticElf(elfClass, order);
        elf.AddSection(".modinfo", SyntheticElf.Strings("license=GPL"));
        return elf;
    }

    private static int ErrorOf(byte[] image) =>
        Assert.Throws<ModuleFormatException>(() => ElfFile.Open(new MemoryByteSource(image))).ErrorNumber;

    private static int ErrorOf(SyntheticElf elf) => ErrorOf(elf.Build());

    [Theory]
    [AllElfFormats]
    public void Valid_header_is_read_in_file_byte_order(ElfClass elfClass, ElfByteOrder order)
    {
        var builder = Valid(elfClass, order);
        builder.Machine = 0xBE01; // any machine is accepted
        var elf = builder.Open();
        Assert.Equal(elfClass, elf.Class);
        Assert.Equal(order, elf.ByteOrder);
        Assert.Equal(0xBE01, elf.Machine);
        Assert.Equal(3, elf.SectionCount); // null, .modinfo, .shstrtab
    }

    [Theory]
    [AllElfFormats]
    public void Sixteen_bytes_or_fewer_is_not_ELF(ElfClass elfClass, ElfByteOrder order)
    {
        // size <= EI_NIDENT is ENOEXEC even with the right magic.
        byte[] image = Valid(elfClass, order).Build();
        foreach (int length in new[] { 0, 1, 4, 15, 16 })
        {
            Assert.Equal(Errno.ENOEXEC, ErrorOf(image[..length]));
        }
    }

    [Theory]
    [AllElfFormats]
    public void Bad_magic_is_not_ELF(ElfClass elfClass, ElfByteOrder order)
    {
        byte[] image = Valid(elfClass, order).Build();
        for (int i = 0; i < 4; i++)
        {
            byte[] copy = [.. image];
            copy[i] ^= 0x20;
            Assert.Equal(Errno.ENOEXEC, ErrorOf(copy));
        }

        // Magic checked before class: 17 bytes of garbage are ENOEXEC, not EINVAL.
        Assert.Equal(Errno.ENOEXEC, ErrorOf(new byte[17]));
    }

    [Theory]
    [AllElfFormats]
    public void Unknown_class_is_invalid(ElfClass elfClass, ElfByteOrder order)
    {
        foreach (byte value in new byte[] { 0, 3, 0xFF })
        {
            var elf = Valid(elfClass, order);
            elf.ClassByte = value;
            Assert.Equal(Errno.EINVAL, ErrorOf(elf));
        }
    }

    [Theory]
    [AllElfFormats]
    public void Unknown_byte_order_is_invalid(ElfClass elfClass, ElfByteOrder order)
    {
        foreach (byte value in new byte[] { 0, 3, 0xFF })
        {
            var elf = Valid(elfClass, order);
            elf.DataByte = value;
            Assert.Equal(Errno.EINVAL, ErrorOf(elf));
        }
    }

    [Theory]
    [AllElfFormats]
    public void Too_small_for_the_class_header_is_invalid(ElfClass elfClass, ElfByteOrder order)
    {
        // kmod: size <= sizeof(Elf32_Ehdr) (52) or sizeof(Elf64_Ehdr) (64) is EINVAL once the magic matched.
        byte[] image = Valid(elfClass, order).Build();
        int headerSize = elfClass == ElfClass.Elf32 ? 52 : 64;
        foreach (int length in new[] { 17, headerSize - 1, headerSize })
        {
            Assert.Equal(Errno.EINVAL, ErrorOf(image[..length]));
        }
    }

    [Theory]
    [AllElfFormats]
    public void Section_header_entry_size_must_match_the_class(ElfClass elfClass, ElfByteOrder order)
    {
        int right = elfClass == ElfClass.Elf32 ? 40 : 64;
        int other = elfClass == ElfClass.Elf32 ? 64 : 40;
        foreach (int size in new[] { 0, right - 1, right + 1, other, 0xFFFF })
        {
            var elf = Valid(elfClass, order);
            elf.ShEntSize = (ushort)size;
            Assert.Equal(Errno.EINVAL, ErrorOf(elf));
        }
    }

    [Theory]
    [AllElfFormats]
    public void Section_header_table_must_lie_inside_the_file(ElfClass elfClass, ElfByteOrder order)
    {
        var valid = Valid(elfClass, order);
        byte[] image = valid.Build();
        int tableSize = 3 * valid.SectionHeaderSize;

        // The builder puts the table at the very end: it fits exactly.
        Assert.Equal(3, ElfFile.Open(new MemoryByteSource(image)).SectionCount);

        var cases = new List<Action<SyntheticElf>>
        {
            e => e.ShOff = (ulong)(image.Length - tableSize + 1),
            e => e.ShOff = (ulong)image.Length,
            e => e.ShOff = uint.MaxValue,
            e => e.ShNum = 4,
            e => e.ShNum = 0xFFFF,
        };
        if (elfClass == ElfClass.Elf64)
        {
            // shoff + table size overflows 64 bits; kmod checks with addu64_overflow.
            cases.Add(e => e.ShOff = ulong.MaxValue - 16);
        }

        foreach (var corrupt in cases)
        {
            var elf = Valid(elfClass, order);
            corrupt(elf);
            Assert.Equal(Errno.EINVAL, ErrorOf(elf));
        }

        // Cutting one byte off the end takes the table's last byte with it.
        Assert.Equal(Errno.EINVAL, ErrorOf(image[..^1]));
    }

    [Theory]
    [AllElfFormats]
    public void No_sections_at_all_is_invalid(ElfClass elfClass, ElfByteOrder order)
    {
        // e_shnum 0: the string table index can name no section.
        var elf = Valid(elfClass, order);
        elf.ShNum = 0;
        Assert.Equal(Errno.EINVAL, ErrorOf(elf));
    }

    [Theory]
    [AllElfFormats]
    public void Section_name_table_index_must_name_a_section(ElfClass elfClass, ElfByteOrder order)
    {
        foreach (ushort index in new ushort[] { 0, 3, 4, 0xFFFF })
        {
            var elf = Valid(elfClass, order);
            elf.ShStrNdx = index;
            Assert.Equal(Errno.EINVAL, ErrorOf(elf));
        }
    }

    [Theory]
    [AllElfFormats]
    public void Section_name_table_must_lie_inside_the_file(ElfClass elfClass, ElfByteOrder order)
    {
        int length = Valid(elfClass, order).Build().Length;
        var cases = new List<Action<SyntheticElf>>
        {
            e => e.ShStrTab.OffsetOverride = (ulong)length,
            e => e.ShStrTab.OffsetOverride = (ulong)length + 1,
            e => e.ShStrTab.SizeOverride = (ulong)length,
            e => e.ShStrTab.SizeOverride = uint.MaxValue,
        };
        if (elfClass == ElfClass.Elf64)
        {
            cases.Add(e => e.ShStrTab.SizeOverride = ulong.MaxValue); // offset + size overflows
        }

        foreach (var corrupt in cases)
        {
            var elf = Valid(elfClass, order);
            corrupt(elf);
            Assert.Equal(Errno.EINVAL, ErrorOf(elf));
        }
    }

    [Theory]
    [AllElfFormats]
    public void Section_name_table_must_be_non_empty_and_end_with_NUL(ElfClass elfClass, ElfByteOrder order)
    {
        var empty = Valid(elfClass, order);
        empty.ShStrTab.SizeOverride = 0;
        Assert.Equal(Errno.EINVAL, ErrorOf(empty));

        var unterminated = Valid(elfClass, order);
        unterminated.UnterminatedShStrTab = true;
        Assert.Equal(Errno.EINVAL, ErrorOf(unterminated));

        // One byte short of its final NUL.
        var cut = Valid(elfClass, order);
        cut.ShStrTab.SizeOverride = (ulong)cut.Layout()[^1].Data.Length - 1;
        Assert.Equal(Errno.EINVAL, ErrorOf(cut));
    }

    [Theory]
    [AllElfFormats]
    public void Any_valid_NUL_terminated_section_can_serve_as_the_name_table(ElfClass elfClass, ElfByteOrder order)
    {
        // kmod only checks the table ends with NUL; names then come from wherever it points.
        var builder = Valid(elfClass, order);
        builder.ShStrNdx = 1; // .modinfo: "license=GPL\0"
        var elf = builder.Open();
        Assert.True(elf.TryGetSection(1, out var section));
        Assert.Equal("icense=GPL", elf.GetSectionName(section)); // .modinfo's name offset is 1
        Assert.False(elf.TryFindSection(".modinfo", out _));
        Assert.True(elf.TryFindSection("icense=GPL", out var found));
        Assert.Equal(1, found.Index);
    }
}
