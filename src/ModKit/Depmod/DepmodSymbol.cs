namespace ModKit.Depmod;

/// <summary>A symbol in depmod's table: its name, CRC and the module that exports it (null for the kernel's own).</summary>
/// <param name="Name">The symbol name, without the architecture prefix.</param>
/// <param name="Crc">The symbol's version CRC (0 when unknown).</param>
/// <param name="Owner">The exporting module, or null for a kernel symbol.</param>
public sealed record DepmodSymbol(string Name, ulong Crc, DepmodModule? Owner);
