namespace ModKit.Elf;

/// <summary>Receives the symbols a module needs, in kmod's order (<see cref="ModuleSymbols.ReadDependencies"/>).</summary>
internal interface INeededSymbolSink
{
    /// <summary>One needed symbol.</summary>
    /// <param name="name">Its name's bytes, valid only during the call.</param>
    /// <param name="crc">The CRC of its <c>__versions</c> record, 0 without one.</param>
    /// <param name="binding">Weak or undefined.</param>
    void Add(ReadOnlySpan<byte> name, ulong crc, SymbolBinding binding);
}
