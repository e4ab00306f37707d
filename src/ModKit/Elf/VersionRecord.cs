namespace ModKit.Elf;

/// <summary>One <c>__versions</c> record: the CRC a module was built against and where the symbol's name lies.</summary>
/// <param name="Crc">The CRC.</param>
/// <param name="NameStart">Where the name starts in the section's data.</param>
/// <param name="NameLength">The name's length, up to its NUL.</param>
internal readonly record struct VersionRecord(ulong Crc, int NameStart, int NameLength)
{
    /// <summary>The name's bytes in <paramref name="data"/>, the section the record was read from.</summary>
    public ReadOnlySpan<byte> Name(ReadOnlySpan<byte> data) => data.Slice(NameStart, NameLength);
}
