namespace ModKit.Elf;

/// <summary>Offsets and sizes of the ELF structures ModKit reads (from the System V gABI, <c>elf.h</c>).</summary>
internal static class ElfLayout
{
    public static ReadOnlySpan<byte> Magic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    public const int IdentSize = 16;        // EI_NIDENT
    public const int ClassIndex = 4;        // EI_CLASS
    public const int DataIndex = 5;         // EI_DATA

    public const int Header32Size = 52;     // sizeof(Elf32_Ehdr)
    public const int Header64Size = 64;     // sizeof(Elf64_Ehdr)
    public const int Section32Size = 40;    // sizeof(Elf32_Shdr)
    public const int Section64Size = 64;    // sizeof(Elf64_Shdr)
    public const int Symbol32Size = 16;     // sizeof(Elf32_Sym)
    public const int Symbol64Size = 24;     // sizeof(Elf64_Sym)

    public const int MachineOffset = 18;    // e_machine, same in both classes

    // Elf32_Ehdr
    public const int ShOff32 = 32, ShEntSize32 = 46, ShNum32 = 48, ShStrNdx32 = 50;

    // Elf64_Ehdr
    public const int ShOff64 = 40, ShEntSize64 = 58, ShNum64 = 60, ShStrNdx64 = 62;

    // Elf32_Shdr: sh_name 0, sh_type 4, sh_flags 8, sh_addr 12, sh_offset 16, sh_size 20
    public const int ShName = 0, ShType = 4, ShFlags = 8;
    public const int ShOffset32 = 16, ShSize32 = 20;

    // Elf64_Shdr: sh_name 0, sh_type 4, sh_flags 8, sh_addr 16, sh_offset 24, sh_size 32
    public const int ShOffset64 = 24, ShSize64 = 32;

    // Elf32_Sym: st_name 0, st_value 4, st_size 8, st_info 12, st_other 13, st_shndx 14
    public const int StValue32 = 4, StInfo32 = 12, StShndx32 = 14;

    // Elf64_Sym: st_name 0, st_info 4, st_other 5, st_shndx 6, st_value 8, st_size 16
    public const int StInfo64 = 4, StShndx64 = 6, StValue64 = 8;

    public const ushort ShnUndef = 0;
    public const ushort ShnAbs = 0xFFF1;
    public const ulong ShfAlloc = 0x2;

    public const byte SttRegister = 13;     // SPARC global register symbols, not real dependencies
    public const ushort EmSparcV9 = 43;
    public const ushort EmSparc = 2;
}
