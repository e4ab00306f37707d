using System.Buffers.Binary;
using ModKit.IO;

namespace ModKit.Elf;

/// <summary>
/// What <c>insmod -f</c> does to a module image before <c>init_module</c> (<c>libkmod/libkmod-elf.c:
/// kmod_elf_strip_section</c>, <c>kmod_elf_strip_vermagic</c>); <c>finit_module</c> gets kernel flags instead.
/// </summary>
internal static class ElfStripper
{
    private const ulong ShfAlloc = 0x2;

    /// <summary>
    /// Clears <c>SHF_ALLOC</c> in the <c>__versions</c> section header, so the kernel treats the module as
    /// having no symbol versions.
    /// </summary>
    /// <returns>0, or <see cref="Errno.ENOENT"/> when there is no such section.</returns>
    public static int StripModversions(byte[] image)
    {
        var elf = ElfFile.Open(new MemoryByteSource(image));
        if (!elf.TryFindSection("__versions", out var section))
        {
            return Errno.ENOENT;
        }

        long at = elf.SectionTableOffset + (long)section.Index * elf.SectionHeaderSize + ElfLayout.ShFlags;
        var field = image.AsSpan((int)at);
        bool little = elf.ByteOrder == ElfByteOrder.LittleEndian;
        ulong flags = section.Flags & ~ShfAlloc;
        if (elf.Class == ElfClass.Elf32)
        {
            if (little) BinaryPrimitives.WriteUInt32LittleEndian(field, (uint)flags);
            else BinaryPrimitives.WriteUInt32BigEndian(field, (uint)flags);
        }
        else
        {
            if (little) BinaryPrimitives.WriteUInt64LittleEndian(field, flags);
            else BinaryPrimitives.WriteUInt64BigEndian(field, flags);
        }

        return 0;
    }

    /// <summary>Overwrites the first <c>vermagic=</c> string of <c>.modinfo</c> with NUL bytes.</summary>
    /// <returns>0, or <see cref="Errno.ENOENT"/> when the module has no <c>.modinfo</c> or no vermagic.</returns>
    public static int StripVermagic(byte[] image)
    {
        var elf = ElfFile.Open(new MemoryByteSource(image));
        if (!elf.TryFindSection(".modinfo", out var section))
        {
            return Errno.ENOENT;
        }

        var data = image.AsSpan((int)section.Offset, (int)section.Size);
        int i = 0;
        while (i < data.Length)
        {
            int end = data[i..].IndexOf((byte)0);
            int length = end < 0 ? data.Length - i : end;
            if (data.Slice(i, length).StartsWith("vermagic="u8))
            {
                data.Slice(i, length).Clear();
                return 0;
            }

            i += length + 1;
        }

        return Errno.ENOENT;
    }
}
