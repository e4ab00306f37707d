using System.Buffers.Binary;
using System.Text;
using ModKit.IO;

namespace ModKit.Elf;

/// <summary>
/// A read-only view of an ELF object (a kernel module) over a <see cref="ByteSource"/>: the header,
/// the section header table and the section-name string table are read when it is opened; section
/// data is read only when asked for. Any class, byte order and machine is accepted, as kmod does
/// (<c>libkmod/libkmod-elf.c</c>), so modules built for other architectures can be inspected.
/// </summary>
public sealed class ElfFile
{
    private readonly ByteSource _source;
    private readonly ReadOnlyMemory<byte> _sectionTable;
    private readonly ReadOnlyMemory<byte> _sectionNames;
    private readonly int _sectionCount;
    private readonly long _sectionTableOffset;

    private ElfFile(ByteSource source, ElfClass elfClass, ElfByteOrder byteOrder, ushort machine,
        ReadOnlyMemory<byte> sectionTable, int sectionCount, ReadOnlyMemory<byte> sectionNames, long sectionTableOffset)
    {
        _sectionTableOffset = sectionTableOffset;
        _source = source;
        Class = elfClass;
        ByteOrder = byteOrder;
        Machine = machine;
        _sectionTable = sectionTable;
        _sectionCount = sectionCount;
        _sectionNames = sectionNames;
    }

    /// <summary>The file's class (32- or 64-bit).</summary>
    public ElfClass Class { get; }

    /// <summary>The file's byte order.</summary>
    public ElfByteOrder ByteOrder { get; }

    /// <summary>The target machine (<c>e_machine</c>).</summary>
    public ushort Machine { get; }

    /// <summary>The number of entries in the section header table, including entry 0.</summary>
    public int SectionCount => _sectionCount;

    /// <summary>The bytes this view reads from.</summary>
    public ByteSource Source => _source;

    /// <summary>The file offset of the section header table (<c>e_shoff</c>).</summary>
    internal long SectionTableOffset => _sectionTableOffset;

    /// <summary>The size of one section header: 40 for 32-bit, 64 for 64-bit files.</summary>
    internal int SectionHeaderSize => Class == ElfClass.Elf32 ? ElfLayout.Section32Size : ElfLayout.Section64Size;

    /// <summary>The size in bytes of a CRC field in <c>__versions</c> records: 4 for 32-bit, 8 for 64-bit files.</summary>
    internal int WordSize => Class == ElfClass.Elf32 ? 4 : 8;

    /// <summary>Reads and validates the ELF header and section tables of <paramref name="source"/>.</summary>
    /// <param name="source">The module image.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ModuleFormatException">
    /// The image is not ELF (<see cref="Errno.ENOEXEC"/>), or its header or section tables are
    /// malformed (<see cref="Errno.EINVAL"/>), exactly where kmod rejects it.
    /// </exception>
    public static ElfFile Open(ByteSource source)
    {
        long size = source.Length;
        Span<byte> header = stackalloc byte[ElfLayout.Header64Size];

        // kmod requires more than EI_NIDENT bytes and the magic before it looks at anything else.
        if (size <= ElfLayout.IdentSize)
        {
            ModuleFormatException.Throw("not an ELF file", Errno.ENOEXEC);
        }

        source.ReadExactly(0, header[..ElfLayout.IdentSize]);
        if (!header[..4].SequenceEqual(ElfLayout.Magic))
        {
            ModuleFormatException.Throw("not an ELF file", Errno.ENOEXEC);
        }

        var elfClass = (ElfClass)header[ElfLayout.ClassIndex];
        int headerSize = elfClass switch
        {
            ElfClass.Elf32 => ElfLayout.Header32Size,
            ElfClass.Elf64 => ElfLayout.Header64Size,
            _ => -1,
        };
        if (headerSize < 0)
        {
            ModuleFormatException.Throw("unknown ELF class");
        }

        // The header must fit with at least one byte to spare (kmod: size <= sizeof(Ehdr) is EINVAL).
        if (size <= headerSize)
        {
            ModuleFormatException.Throw("file too small for its ELF header");
        }

        var byteOrder = (ElfByteOrder)header[ElfLayout.DataIndex];
        if (byteOrder is not (ElfByteOrder.LittleEndian or ElfByteOrder.BigEndian))
        {
            ModuleFormatException.Throw("unknown ELF byte order");
        }

        source.ReadExactly(0, header[..headerSize]);
        var fields = new ElfFieldReader(byteOrder);
        bool is32 = elfClass == ElfClass.Elf32;
        ushort machine = fields.U16(header, ElfLayout.MachineOffset);
        ulong shoff = is32 ? fields.U32(header, ElfLayout.ShOff32) : fields.U64(header, ElfLayout.ShOff64);
        ushort shentsize = fields.U16(header, is32 ? ElfLayout.ShEntSize32 : ElfLayout.ShEntSize64);
        ushort shnum = fields.U16(header, is32 ? ElfLayout.ShNum32 : ElfLayout.ShNum64);
        ushort shstrndx = fields.U16(header, is32 ? ElfLayout.ShStrNdx32 : ElfLayout.ShStrNdx64);

        int entrySize = is32 ? ElfLayout.Section32Size : ElfLayout.Section64Size;
        if (shentsize != entrySize)
        {
            ModuleFormatException.Throw("unexpected section header entry size");
        }

        ulong tableSize = (ulong)entrySize * shnum;
        if (shoff > (ulong)size || tableSize > (ulong)size - shoff)
        {
            ModuleFormatException.Throw("file is too short to hold its section headers");
        }

        var table = source.ReadTable((long)shoff, (long)tableSize);
        var file = new ElfFile(source, elfClass, byteOrder, machine, table, shnum, ReadOnlyMemory<byte>.Empty, (long)shoff);

        // The section-name table must be a valid section that is not empty and ends with NUL.
        if (!file.TryGetSection(shstrndx, out var names) || names.Size == 0)
        {
            ModuleFormatException.Throw("invalid section-name string table");
        }

        var nameBytes = source.ReadTable(names.Offset, names.Size);
        if (nameBytes.Span[^1] != 0)
        {
            ModuleFormatException.Throw("section-name string table does not end with NUL");
        }

        return new ElfFile(source, elfClass, byteOrder, machine, table, shnum, nameBytes, (long)shoff);
    }

    /// <summary>
    /// Gets section <paramref name="index"/> if it exists and its data lies inside the file
    /// (kmod skips sections that do not).
    /// </summary>
    /// <param name="index">The section index; 0 (SHN_UNDEF) never names a section.</param>
    /// <param name="section">The section.</param>
    /// <returns>Whether the section exists and is valid.</returns>
    public bool TryGetSection(int index, out ElfSection section)
    {
        section = default;
        if (index <= 0 || index >= _sectionCount)
        {
            return false;
        }

        var fields = new ElfFieldReader(ByteOrder);
        bool is32 = Class == ElfClass.Elf32;
        var entry = _sectionTable.Span[(index * (is32 ? ElfLayout.Section32Size : ElfLayout.Section64Size))..];
        uint nameOffset = fields.U32(entry, ElfLayout.ShName);
        uint type = fields.U32(entry, ElfLayout.ShType);
        ulong flags = is32 ? fields.U32(entry, ElfLayout.ShFlags) : fields.U64(entry, ElfLayout.ShFlags);
        ulong offset = is32 ? fields.U32(entry, ElfLayout.ShOffset32) : fields.U64(entry, ElfLayout.ShOffset64);
        ulong size = is32 ? fields.U32(entry, ElfLayout.ShSize32) : fields.U64(entry, ElfLayout.ShSize64);
        ulong length = (ulong)_source.Length;
        if (offset > length || size > length - offset)
        {
            return false;
        }

        section = new ElfSection(index, nameOffset, type, flags, (long)offset, (long)size);
        return true;
    }

    /// <summary>Gets the name of a section from the section-name string table.</summary>
    /// <param name="section">The section.</param>
    /// <returns>The name, or an empty string when its offset lies outside the table.</returns>
    public string GetSectionName(in ElfSection section)
    {
        var name = NameBytes(section.NameOffset);
        return Encoding.UTF8.GetString(name);
    }

    /// <summary>
    /// Finds the first valid section called <paramref name="name"/> (kmod's rule: the first match wins,
    /// sections with out-of-file data or names are skipped).
    /// </summary>
    /// <param name="name">The section name, e.g. <c>.modinfo</c>.</param>
    /// <param name="section">The section.</param>
    /// <returns>Whether it was found.</returns>
    public bool TryFindSection(string name, out ElfSection section)
    {
        Span<byte> wanted = stackalloc byte[Encoding.UTF8.GetMaxByteCount(name.Length)];
        wanted = wanted[..Encoding.UTF8.GetBytes(name, wanted)];
        var fields = new ElfFieldReader(ByteOrder);
        int entrySize = Class == ElfClass.Elf32 ? ElfLayout.Section32Size : ElfLayout.Section64Size;
        var table = _sectionTable.Span;
        var names = _sectionNames.Span;
        for (int i = 1; i < _sectionCount; i++)
        {
            // The name first (one field), the whole header only for a section of that name.
            uint nameOffset = fields.U32(table[(i * entrySize)..], ElfLayout.ShName);
            if (nameOffset >= names.Length || !CString(names[(int)nameOffset..]).SequenceEqual(wanted))
            {
                continue;
            }

            if (TryGetSection(i, out section))
            {
                return true;
            }
        }

        section = default;
        return false;
    }

    /// <summary>Reads the data of <paramref name="section"/>.</summary>
    /// <param name="section">A section returned by this view.</param>
    /// <returns>A new array holding the section's bytes.</returns>
    public byte[] ReadSection(in ElfSection section) => _source.Read(section.Offset, section.Size);

    /// <summary>Reads the data of the first valid section called <paramref name="name"/>.</summary>
    /// <param name="name">The section name.</param>
    /// <param name="data">The section's bytes.</param>
    /// <returns>Whether the section exists.</returns>
    public bool TryReadSection(string name, out byte[] data)
    {
        if (TryFindSection(name, out var section))
        {
            data = ReadSection(section);
            return true;
        }

        data = [];
        return false;
    }

    /// <summary>
    /// Finds a section by name and gives its contents as a view of the image when the image is in memory (valid
    /// until the source is disposed), otherwise as a copy.
    /// </summary>
    /// <param name="name">The section's name.</param>
    /// <param name="data">The contents, or empty.</param>
    /// <returns>Whether the section exists.</returns>
    public bool TryGetSectionMemory(string name, out ReadOnlyMemory<byte> data)
    {
        if (TryFindSection(name, out var section))
        {
            data = _source.GetMemory(section.Offset, section.Size);
            return true;
        }

        data = ReadOnlyMemory<byte>.Empty;
        return false;
    }

    internal ElfFieldReader Fields => new(ByteOrder);

    private ReadOnlySpan<byte> NameBytes(uint offset) => offset >= _sectionNames.Length ? [] : CString(_sectionNames.Span[(int)offset..]);

    private static ReadOnlySpan<byte> CString(ReadOnlySpan<byte> rest)
    {
        int end = rest.IndexOf((byte)0);
        return end < 0 ? rest : rest[..end];
    }
}
