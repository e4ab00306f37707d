namespace ModKit.Index;

/// <summary>
/// Constants of kmod's binary index format (<c>libkmod/libkmod-index.c</c>; docs/index-format.md §2–§4).
/// All integers are 32-bit big-endian; nodes are byte-packed without alignment.
/// </summary>
internal static class IndexFormat
{
    /// <summary>"BOOTFAST": the magic at offset 0 (the older 0xB007FA57 is not accepted).</summary>
    public const uint Magic = 0xB007F457;

    /// <summary>The major version readers require in the high 16 bits of the version word.</summary>
    public const ushort MajorVersion = 2;

    /// <summary>The version word depmod writes: major 2, minor 1.</summary>
    public const uint Version = (MajorVersion << 16) | 1;

    /// <summary>Offset of the magic word.</summary>
    public const int MagicOffset = 0;

    /// <summary>Offset of the version word.</summary>
    public const int VersionOffset = 4;

    /// <summary>Offset of the root node pointer.</summary>
    public const int RootOffset = 8;

    /// <summary>Size of the header: magic, version, root pointer.</summary>
    public const int HeaderSize = 12;

    /// <summary>Node pointer flag: the node starts with a NUL-terminated prefix.</summary>
    public const uint FlagPrefix = 0x80000000;

    /// <summary>Node pointer flag: the node has a value list.</summary>
    public const uint FlagValues = 0x40000000;

    /// <summary>Node pointer flag: the node has a child table.</summary>
    public const uint FlagChildren = 0x20000000;

    /// <summary>The low 28 bits of a node pointer: the node's absolute file offset (0 = no node).</summary>
    public const uint OffsetMask = 0x0FFFFFFF;

    /// <summary>Child tables are indexed by 7-bit characters: <c>last</c> is at most 127.</summary>
    public const int MaxChildChar = 127;

    /// <summary>Size of a node pointer or any other integer.</summary>
    public const int WordSize = 4;

    /// <summary>Smallest value record: a priority word and an empty NUL-terminated string.</summary>
    public const int MinValueSize = WordSize + 1;
}
