namespace ModKit.Files;

/// <summary>How a module file is compressed, as recognised from its first bytes (<see cref="ModuleCompressionDetector"/>).</summary>
public enum ModuleCompression
{
    /// <summary>Not compressed: the file is (or claims to be) a plain ELF image.</summary>
    None = 0,

    /// <summary>gzip (magic <c>1F 8B</c>), usually named <c>.ko.gz</c>.</summary>
    Gzip,

    /// <summary>xz (magic <c>FD 37 7A 58 5A 00</c>), usually named <c>.ko.xz</c>.</summary>
    Xz,

    /// <summary>Zstandard (magic <c>28 B5 2F FD</c>), usually named <c>.ko.zst</c>.</summary>
    Zstd,
}
