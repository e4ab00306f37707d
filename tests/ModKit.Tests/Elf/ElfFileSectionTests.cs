using System.Text;
using ModKit.Elf;
using ModKit.IO;

namespace ModKit.Tests.Elf;

/// <summary>
/// Sections are found by name as kmod's <c>kmod_elf_get_section</c> does: the first section whose name matches
/// and whose header is valid wins; sections whose data lies outside the file, or whose name offset lies outside
/// the section-name table, are skipped.
/// </summary>
public sealed class ElfFileSectionTests
{
    [Theory]
    [AllElfFormats]
    public void Sections_are_found_by_name_with_their_header_fields(ElfClass elfClass, ElfByteOrder order)
    {
        var builder = new SyntheticElf(elfClass, order);
        int text = builder.AddSection(".text", [0x90, 0x90, 0xC3], flags: 0x6);
        int modinfo = builder.AddSection(".modinfo", SyntheticElf.Strings("license=GPL", "author=me"));
        int bss = builder.AddSection(".bss", new byte[16], SyntheticElf.ShtNoBits, SyntheticElf.ShfAlloc | SyntheticElf.ShfWrite);
        int empty = builder.AddSection("__versions", []);
        byte[] image = builder.Build();
        var elf = builder.Open();
        var layout = builder.Layout();

        Assert.Equal(layout.Count + 1, elf.SectionCount);
        Assert.True(elf.TryFindSection(".text", out var section));
        Assert.Equal(new ElfSection(text, section.NameOffset, SyntheticElf.ShtProgBits, 0x6, section.Offset, 3), section);
        Assert.Equal(new byte[] { 0x90, 0x90, 0xC3 }, elf.ReadSection(section));
        Assert.Equal(".text", elf.GetSectionName(section));
        Assert.Equal(image.AsSpan((int)section.Offset, 3).ToArray(), elf.ReadSection(section));

        Assert.True(elf.TryReadSection(".modinfo", out byte[] data));
        Assert.Equal(SyntheticElf.Strings("license=GPL", "author=me"), data);
        Assert.True(elf.TryFindSection(".modinfo", out section));
        Assert.Equal(modinfo, section.Index);

        Assert.True(elf.TryFindSection(".bss", out section));
        Assert.Equal((bss, SyntheticElf.ShtNoBits, 3UL, 16L), (section.Index, section.Type, section.Flags, section.Size));

        Assert.True(elf.TryReadSection("__versions", out data));
        Assert.Empty(data);
        Assert.True(elf.TryFindSection("__versions", out section));
        Assert.Equal(empty, section.Index);

        Assert.True(elf.TryFindSection(".shstrtab", out section));
        Assert.Equal(builder.ShStrTabIndex, section.Index);
        Assert.Equal(SyntheticElf.ShtStrTab, section.Type);
    }

    [Theory]
    [AllElfFormats]
    public void Missing_names_are_not_found(ElfClass elfClass, ElfByteOrder order)
    {
        var builder = new SyntheticElf(elfClass, order);
        builder.AddSection(".modinfo.extra", [1]);
        builder.AddSection(".rela.text", [1]);
        var elf = builder.Open();
        foreach (string name in new[] { ".modinfo", ".modinfo.extra2", ".text", "", ".MODINFO.EXTRA" })
        {
            Assert.False(elf.TryFindSection(name, out var section), name);
            Assert.Equal(default, section);
            Assert.False(elf.TryReadSection(name, out byte[] data), name);
            Assert.Empty(data);
        }
    }

    [Theory]
    [AllElfFormats]
    public void First_valid_match_wins(ElfClass elfClass, ElfByteOrder order)
    {
        var builder = new SyntheticElf(elfClass, order);
        builder.AddSection(".modinfo", SyntheticElf.Strings("first=1"));
        builder.AddSection(".modinfo", SyntheticElf.Strings("second=2"));
        Assert.True(builder.Open().TryReadSection(".modinfo", out byte[] data));
        Assert.Equal(SyntheticElf.Strings("first=1"), data);
    }

    [Theory]
    [AllElfFormats]
    public void Sections_with_data_outside_the_file_are_skipped(ElfClass elfClass, ElfByteOrder order)
    {
        int length = Build(elfClass, order, _ => { }).Length;
        var cases = new List<Action<SyntheticElf.Section>>
        {
            s => s.OffsetOverride = (ulong)length + 1,
            s => s.OffsetOverride = (ulong)length - 4,            // 8 bytes from 4 before the end
            s => s.SizeOverride = (ulong)length,
            s => s.SizeOverride = uint.MaxValue,
        };
        if (elfClass == ElfClass.Elf64)
        {
            cases.Add(s => s.SizeOverride = ulong.MaxValue - 4); // offset + size wraps around
            cases.Add(s => s.OffsetOverride = ulong.MaxValue);
        }

        foreach (var corrupt in cases)
        {
            var elf = ElfFile.Open(new MemoryByteSource(Build(elfClass, order, corrupt)));
            Assert.False(elf.TryGetSection(1, out _));
            Assert.True(elf.TryReadSection(".modinfo", out byte[] data));
            Assert.Equal(SyntheticElf.Strings("second=2"), data);
        }

        // A range ending exactly at the end of the file is inside it.
        var atEnd = ElfFile.Open(new MemoryByteSource(Build(elfClass, order, s => s.OffsetOverride = (ulong)length - 8)));
        Assert.True(atEnd.TryFindSection(".modinfo", out var section));
        Assert.Equal((1, length - 8L, 8L), (section.Index, section.Offset, section.Size));

        static byte[] Build(ElfClass elfClass, ElfByteOrder order, Action<SyntheticElf.Section> corrupt)
        {
            var builder = new SyntheticElf(elfClass, order);
            int first = builder.AddSection(".modinfo", SyntheticElf.Strings("first=1"));
            builder.AddSection(".modinfo", SyntheticElf.Strings("second=2"));
            corrupt(builder[first]);
            return builder.Build();
        }
    }

    [Theory]
    [AllElfFormats]
    public void Sections_with_name_offsets_outside_the_name_table_are_skipped(ElfClass elfClass, ElfByteOrder order)
    {
        var builder = new SyntheticElf(elfClass, order);
        int first = builder.AddSection(".modinfo", SyntheticElf.Strings("first=1"));
        builder.AddSection(".modinfo", SyntheticElf.Strings("second=2"));
        int namesLength = builder.Layout()[^1].Data.Length;
        foreach (uint offset in new[] { (uint)namesLength, (uint)namesLength + 1, uint.MaxValue })
        {
            builder[first].NameOffsetOverride = offset;
            var elf = builder.Open();
            Assert.True(elf.TryReadSection(".modinfo", out byte[] data));
            Assert.Equal(SyntheticElf.Strings("second=2"), data);

            // The section itself is still there; it just has no name.
            Assert.True(elf.TryGetSection(first, out var section));
            Assert.Equal("", elf.GetSectionName(section));
            Assert.False(elf.TryFindSection("", out _));
        }
    }

    [Theory]
    [AllElfFormats]
    public void A_name_is_the_C_string_at_its_offset(ElfClass elfClass, ElfByteOrder order)
    {
        // Linkers share suffixes (".rela.modinfo" + 5 is ".modinfo"); kmod compares the string at the offset.
        var builder = new SyntheticElf(elfClass, order);
        int rela = builder.AddSection(".rela.modinfo", [1, 2]);
        int shared = builder.AddSection("unused-name", SyntheticElf.Strings("k=v"));
        builder[shared].NameOffsetOverride = 1 + 5; // ".rela.modinfo" is the first name, after the leading NUL
        var elf = builder.Open();
        Assert.True(elf.TryFindSection(".modinfo", out var section));
        Assert.Equal(shared, section.Index);
        Assert.True(elf.TryFindSection(".rela.modinfo", out section));
        Assert.Equal(rela, section.Index);
        Assert.False(elf.TryFindSection("unused-name", out _));
    }

    [Theory]
    [AllElfFormats]
    public void Section_indexes_outside_the_table_are_not_sections(ElfClass elfClass, ElfByteOrder order)
    {
        var builder = new SyntheticElf(elfClass, order);
        builder.AddSection(".modinfo", [0]);
        var elf = builder.Open();
        Assert.False(elf.TryGetSection(0, out _));           // SHN_UNDEF
        Assert.False(elf.TryGetSection(-1, out _));
        Assert.False(elf.TryGetSection(elf.SectionCount, out _));
        Assert.False(elf.TryGetSection(0xFFF1, out _));      // SHN_ABS
        Assert.True(elf.TryGetSection(elf.SectionCount - 1, out _));
    }

    [Theory]
    [AllElfFormats]
    public void Non_ASCII_section_names_match_as_UTF8(ElfClass elfClass, ElfByteOrder order)
    {
        var builder = new SyntheticElf(elfClass, order);
        builder.AddSection("sección", Encoding.ASCII.GetBytes("x"));
        var elf = builder.Open();
        Assert.True(elf.TryFindSection("sección", out var section));
        Assert.Equal("sección", elf.GetSectionName(section));
    }
}
