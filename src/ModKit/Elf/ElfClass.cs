namespace ModKit.Elf;

/// <summary>The ELF file class: the width of addresses and offsets (<c>EI_CLASS</c>).</summary>
public enum ElfClass : byte
{
    /// <summary>32-bit objects (<c>ELFCLASS32</c>).</summary>
    Elf32 = 1,

    /// <summary>64-bit objects (<c>ELFCLASS64</c>).</summary>
    Elf64 = 2,
}
