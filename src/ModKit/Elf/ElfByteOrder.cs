namespace ModKit.Elf;

/// <summary>The byte order of every multi-byte field in an ELF file (<c>EI_DATA</c>).</summary>
public enum ElfByteOrder : byte
{
    /// <summary>Least significant byte first (<c>ELFDATA2LSB</c>).</summary>
    LittleEndian = 1,

    /// <summary>Most significant byte first (<c>ELFDATA2MSB</c>).</summary>
    BigEndian = 2,
}
