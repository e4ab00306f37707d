namespace ModKit.Elf;

/// <summary>One entry of an ELF section header table whose data range lies inside the file.</summary>
/// <param name="Index">The section's index in the table.</param>
/// <param name="NameOffset">Offset of its name in the section-name string table.</param>
/// <param name="Type">The section type (<c>sh_type</c>).</param>
/// <param name="Flags">The section flags (<c>sh_flags</c>).</param>
/// <param name="Offset">Where the section's data starts in the file (<c>sh_offset</c>).</param>
/// <param name="Size">The size of the section's data (<c>sh_size</c>).</param>
public readonly record struct ElfSection(int Index, uint NameOffset, uint Type, ulong Flags, long Offset, long Size);
