namespace ModKit.Elf;

/// <summary>A symbol a module exports or needs, with its modversion CRC.</summary>
/// <param name="Name">The symbol name.</param>
/// <param name="Crc">The CRC (0 when the module carries none; all ones when it cannot be resolved).</param>
/// <param name="Binding">How the symbol is bound.</param>
public readonly record struct ModuleSymbol(string Name, ulong Crc, SymbolBinding Binding);
