namespace ModKit.Elf;

/// <summary>How a module symbol is bound, as libkmod reports it (<c>kmod_symbol_bind</c>).</summary>
public enum SymbolBinding : byte
{
    /// <summary>No binding known.</summary>
    None = 0,

    /// <summary>A local symbol (<c>'L'</c>).</summary>
    Local = (byte)'L',

    /// <summary>A global symbol (<c>'G'</c>).</summary>
    Global = (byte)'G',

    /// <summary>A weak symbol (<c>'W'</c>).</summary>
    Weak = (byte)'W',

    /// <summary>An undefined symbol the module needs (<c>'U'</c>).</summary>
    Undefined = (byte)'U',
}
