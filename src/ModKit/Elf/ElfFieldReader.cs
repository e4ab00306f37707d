using System.Buffers.Binary;

namespace ModKit.Elf;

/// <summary>
/// Reads integer fields in an ELF file's byte order. Every read goes through a span slice, so an
/// offset outside the buffer throws <see cref="ModuleFormatException"/> instead of reading stray memory.
/// </summary>
internal readonly struct ElfFieldReader(ElfByteOrder byteOrder)
{
    private readonly bool _big = byteOrder == ElfByteOrder.BigEndian;

    public ushort U16(ReadOnlySpan<byte> data, int offset)
    {
        var s = Slice(data, offset, 2);
        return _big ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);
    }

    public uint U32(ReadOnlySpan<byte> data, int offset)
    {
        var s = Slice(data, offset, 4);
        return _big ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);
    }

    public ulong U64(ReadOnlySpan<byte> data, int offset)
    {
        var s = Slice(data, offset, 8);
        return _big ? BinaryPrimitives.ReadUInt64BigEndian(s) : BinaryPrimitives.ReadUInt64LittleEndian(s);
    }

    /// <summary>Reads a 4- or 8-byte unsigned field.</summary>
    public ulong Word(ReadOnlySpan<byte> data, int offset, int size) => size == 4 ? U32(data, offset) : U64(data, offset);

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> data, int offset, int length)
    {
        if (offset < 0 || offset > data.Length - length)
        {
            ModuleFormatException.Throw($"field at {offset} lies outside its {data.Length}-byte structure");
        }

        return data.Slice(offset, length);
    }
}
