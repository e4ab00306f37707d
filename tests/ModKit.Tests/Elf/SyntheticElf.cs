using System.Buffers.Binary;
using System.Text;
using ModKit.Elf;
using ModKit.IO;

namespace ModKit.Tests.Elf;

/// <summary>
/// Builds an ELF relocatable object in memory for tests: any class, byte order and machine, named sections,
/// an optional <c>.symtab</c>/<c>.strtab</c>, and a <c>.shstrtab</c>; every header field the reader checks can
/// be overridden to corrupt the file. Layout: <c>[Ehdr][section data, 8-aligned][.shstrtab][section headers]</c>,
/// sections indexed 1..n in the order added, then <c>.symtab</c>, <c>.strtab</c>, and <c>.shstrtab</c> last.
/// Written from the System V gABI, independently of the reader under test.
/// </summary>
internal sealed class SyntheticElf(ElfClass elfClass, ElfByteOrder byteOrder, ushort machine = SyntheticElf.EmX86_64)
{
    public const ushort EmSparc = 2, EmI386 = 3, EmSparcV9 = 43, EmX86_64 = 62;
    public const uint ShtProgBits = 1, ShtSymTab = 2, ShtStrTab = 3, ShtNoBits = 8;
    public const ulong ShfWrite = 0x1, ShfAlloc = 0x2;
    public const byte StbLocal = 0, StbGlobal = 1, StbWeak = 2;
    public const byte SttNoType = 0, SttObject = 1, SttFunc = 2, SttRegister = 13;
    public const ushort ShnUndef = 0, ShnAbs = 0xFFF1;

    /// <summary>One section header and its data; the overrides write a field as given instead of the true value.</summary>
    public sealed class Section(string name, byte[] data, uint type, ulong flags)
    {
        public string Name { get; set; } = name;
        public byte[] Data { get; set; } = data;
        public uint Type { get; set; } = type;
        public ulong Flags { get; set; } = flags;
        public uint Link { get; set; }
        public ulong EntrySize { get; set; }
        public uint? NameOffsetOverride { get; set; }
        public ulong? OffsetOverride { get; set; }
        public ulong? SizeOverride { get; set; }
    }

    /// <summary>A symbol; <paramref name="NameOffset"/> replaces the offset of its name in <c>.strtab</c>.</summary>
    public sealed record Symbol(string Name, ulong Value, byte Info, ushort Shndx, uint? NameOffset = null);

    private readonly List<Section> _sections = [];
    private readonly List<Symbol> _symbols = [];

    public ElfClass Class { get; } = elfClass;
    public ElfByteOrder ByteOrder { get; } = byteOrder;
    public ushort Machine { get; set; } = machine;
    public bool Is64 => Class == ElfClass.Elf64;

    /// <summary>Set by <see cref="AddSymbol"/>; set explicitly for a symbol table holding only the null symbol.</summary>
    public bool HasSymbolTable { get; set; }

    // Header corruptions.
    public byte? ClassByte { get; set; }
    public byte? DataByte { get; set; }
    public ushort? ShEntSize { get; set; }
    public ushort? ShNum { get; set; }
    public ushort? ShStrNdx { get; set; }
    public ulong? ShOff { get; set; }

    /// <summary>Appends a non-NUL byte to <c>.shstrtab</c> so that it does not end with NUL.</summary>
    public bool UnterminatedShStrTab { get; set; }

    /// <summary>Set after <see cref="Build"/> or <see cref="Layout"/>: the generated tables as written.</summary>
    public Section SymTab { get; } = new(".symtab", [], ShtSymTab, 0);
    public Section StrTab { get; } = new(".strtab", [], ShtStrTab, 0);
    public Section ShStrTab { get; } = new(".shstrtab", [], ShtStrTab, 0);

    public int SymTabIndex => _sections.Count + 1;
    public int StrTabIndex => _sections.Count + 2;
    public int ShStrTabIndex => _sections.Count + 1 + (HasSymbolTable ? 2 : 0);
    public int SectionHeaderSize => Is64 ? 64 : 40;
    public int SymbolSize => Is64 ? 24 : 16;

    public static byte Info(byte bind, byte type) => (byte)((bind << 4) | (type & 0xF));

    /// <summary>Adds a section and returns its index.</summary>
    public int AddSection(string name, byte[] data, uint type = ShtProgBits, ulong flags = ShfAlloc)
    {
        _sections.Add(new Section(name, data, type, flags));
        return _sections.Count;
    }

    public Section this[int index] => _sections[index - 1];

    public SyntheticElf AddSymbol(string name, ulong value, byte info, ushort shndx, uint? nameOffset = null)
    {
        HasSymbolTable = true;
        _symbols.Add(new Symbol(name, value, info, shndx, nameOffset));
        return this;
    }

    /// <summary>A 16-bit value in the file's byte order.</summary>
    public byte[] U16(ushort value)
    {
        var b = new byte[2];
        if (ByteOrder == ElfByteOrder.BigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, value);
        else BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        return b;
    }

    /// <summary>A 32-bit value in the file's byte order.</summary>
    public byte[] U32(uint value)
    {
        var b = new byte[4];
        if (ByteOrder == ElfByteOrder.BigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, value);
        else BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        return b;
    }

    /// <summary>A 64-bit value in the file's byte order.</summary>
    public byte[] U64(ulong value)
    {
        var b = new byte[8];
        if (ByteOrder == ElfByteOrder.BigEndian) BinaryPrimitives.WriteUInt64BigEndian(b, value);
        else BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        return b;
    }

    /// <summary>An address-sized value (4 bytes for ELF32, 8 for ELF64) in the file's byte order.</summary>
    public byte[] Word(ulong value) => Is64 ? U64(value) : U32(checked((uint)value));

    /// <summary>One <c>struct modversion_info</c>: an address-sized CRC, then the name NUL-padded to 64 bytes.</summary>
    public byte[] VersionRecord(ulong crc, string name) => VersionRecord(crc, Encoding.UTF8.GetBytes(name));

    public byte[] VersionRecord(ulong crc, byte[] name)
    {
        var record = new byte[64];
        Word(crc).CopyTo(record, 0);
        name.CopyTo(record, Is64 ? 8 : 4);
        return record;
    }

    /// <summary>NUL-terminated strings, concatenated.</summary>
    public static byte[] Strings(params string[] strings) => [.. strings.SelectMany(s => Encoding.UTF8.GetBytes(s + "\0"))];

    public ElfFile Open() => ElfFile.Open(new MemoryByteSource(Build()));

    public byte[] Build()
    {
        var all = Layout();
        var file = new List<byte>(new byte[Is64 ? 64 : 52]);
        var offsets = new ulong[all.Count];
        for (int i = 0; i < all.Count; i++)
        {
            Align(file, 8);
            offsets[i] = (ulong)file.Count;
            if (all[i].Type != ShtNoBits)
            {
                file.AddRange(all[i].Data);
            }
        }

        Align(file, 8);
        ulong shoff = (ulong)file.Count;
        file.AddRange(new byte[SectionHeaderSize]); // entry 0: SHN_UNDEF
        for (int i = 0; i < all.Count; i++)
        {
            file.AddRange(SectionHeader(all[i], offsets[i]));
        }

        byte[] image = [.. file];
        WriteHeader(image, shoff, (ushort)(all.Count + 1));
        return image;
    }

    /// <summary>All sections after entry 0, with the generated tables filled in.</summary>
    public List<Section> Layout()
    {
        var all = new List<Section>(_sections);
        if (HasSymbolTable)
        {
            var strtab = new List<byte> { 0 };
            var symtab = new List<byte>(new byte[SymbolSize]); // symbol 0 is the null symbol
            foreach (var symbol in _symbols)
            {
                uint nameOffset = 0;
                if (symbol.Name.Length > 0)
                {
                    nameOffset = (uint)strtab.Count;
                    strtab.AddRange(Encoding.UTF8.GetBytes(symbol.Name + "\0"));
                }

                symtab.AddRange(SymbolEntry(symbol, symbol.NameOffset ?? nameOffset));
            }

            SymTab.Data = [.. symtab];
            SymTab.Link = (uint)StrTabIndex;
            SymTab.EntrySize = (ulong)SymbolSize;
            StrTab.Data = [.. strtab];
            all.Add(SymTab);
            all.Add(StrTab);
        }

        var names = new List<byte> { 0 };
        foreach (var section in all.Append(ShStrTab))
        {
            // Names are stored in full, even when one is a suffix of another.
            names.AddRange(Encoding.UTF8.GetBytes(section.Name + "\0"));
        }

        if (UnterminatedShStrTab)
        {
            names.Add((byte)'X');
        }

        ShStrTab.Data = [.. names];
        all.Add(ShStrTab);
        return all;
    }

    private byte[] SectionHeader(Section section, ulong offset)
    {
        uint nameOffset = section.NameOffsetOverride ?? NameOffset(section);
        ulong dataOffset = section.OffsetOverride ?? offset;
        ulong size = section.SizeOverride ?? (ulong)section.Data.Length;
        if (Is64)
        {
            // sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size, sh_link, sh_info, sh_addralign, sh_entsize
            return [.. U32(nameOffset), .. U32(section.Type), .. U64(section.Flags), .. U64(0), .. U64(dataOffset), .. U64(size),
                .. U32(section.Link), .. U32(0), .. U64(1), .. U64(section.EntrySize)];
        }

        return [.. U32(nameOffset), .. U32(section.Type), .. U32(checked((uint)section.Flags)), .. U32(0), .. U32(unchecked((uint)dataOffset)),
            .. U32(unchecked((uint)size)), .. U32(section.Link), .. U32(0), .. U32(1), .. U32((uint)section.EntrySize)];
    }

    private uint NameOffset(Section section)
    {
        var all = new List<Section>(_sections);
        if (HasSymbolTable)
        {
            all.Add(SymTab);
            all.Add(StrTab);
        }

        all.Add(ShStrTab);
        uint offset = 1;
        foreach (var s in all)
        {
            if (ReferenceEquals(s, section))
            {
                return offset;
            }

            offset += (uint)Encoding.UTF8.GetByteCount(s.Name) + 1;
        }

        throw new InvalidOperationException("section not in this file");
    }

    private byte[] SymbolEntry(Symbol symbol, uint nameOffset)
    {
        if (Is64)
        {
            // st_name, st_info, st_other, st_shndx, st_value, st_size
            return [.. U32(nameOffset), symbol.Info, 0, .. U16(symbol.Shndx), .. U64(symbol.Value), .. U64(0)];
        }

        // st_name, st_value, st_size, st_info, st_other, st_shndx
        return [.. U32(nameOffset), .. U32(checked((uint)symbol.Value)), .. U32(0), symbol.Info, 0, .. U16(symbol.Shndx)];
    }

    private void WriteHeader(byte[] image, ulong shoff, ushort shnum)
    {
        byte[] ident = [0x7F, (byte)'E', (byte)'L', (byte)'F', ClassByte ?? (byte)Class, DataByte ?? (byte)ByteOrder, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        ident.CopyTo(image, 0);
        var fields = new List<byte>();
        fields.AddRange(U16(1));                    // e_type: ET_REL
        fields.AddRange(U16(Machine));              // e_machine
        fields.AddRange(U32(1));                    // e_version
        fields.AddRange(Word(0));                   // e_entry
        fields.AddRange(Word(0));                   // e_phoff
        fields.AddRange(Is64 ? U64(ShOff ?? shoff) : U32(unchecked((uint)(ShOff ?? shoff)))); // e_shoff
        fields.AddRange(U32(0));                    // e_flags
        fields.AddRange(U16((ushort)(Is64 ? 64 : 52))); // e_ehsize
        fields.AddRange(U16(0));                    // e_phentsize
        fields.AddRange(U16(0));                    // e_phnum
        fields.AddRange(U16(ShEntSize ?? (ushort)SectionHeaderSize));
        fields.AddRange(U16(ShNum ?? shnum));
        fields.AddRange(U16(ShStrNdx ?? (ushort)ShStrTabIndex));
        fields.CopyTo(image, 16);
    }

    private static void Align(List<byte> file, int alignment)
    {
        while (file.Count % alignment != 0)
        {
            file.Add(0);
        }
    }
}
