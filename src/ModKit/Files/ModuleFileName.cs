namespace ModKit.Files;

/// <summary>
/// Which file names count as kernel modules when a directory is scanned or a command-line argument is
/// classified (<c>shared/util.c: path_ends_with_kmod_ext</c>). Whether a file is compressed is decided
/// by its content (<see cref="ModuleCompressionDetector"/>), never by these names.
/// </summary>
/// <remarks>
/// kmod accepts <c>.ko.gz</c>, <c>.ko.xz</c> and <c>.ko.zst</c> only when built with that decompressor;
/// ModKit always has all three, like a kmod built <c>+ZLIB +XZ +ZSTD</c> (Debian 12's kmod 30 is built
/// <c>-ZLIB</c> and therefore ignores <c>.ko.gz</c> files).
/// </remarks>
public static class ModuleFileName
{
    // Declared before Extensions: static initialisers run in textual order.
    private static readonly string[] KnownExtensions = [".ko", ".ko.gz", ".ko.xz", ".ko.zst"];

    /// <summary>The recognised module file extensions, the uncompressed one first.</summary>
    public static IReadOnlyList<string> Extensions { get; } = Array.AsReadOnly(KnownExtensions);

    /// <summary>
    /// Whether <paramref name="path"/> ends with a module extension preceded by at least one character
    /// (a file named just <c>.ko</c> is not a module). The comparison is case-sensitive.
    /// </summary>
    /// <param name="path">A file name or path.</param>
    /// <returns><see langword="true"/> for <c>foo.ko</c>, <c>foo.ko.gz</c>, <c>foo.ko.xz</c>, <c>foo.ko.zst</c>.</returns>
    public static bool HasModuleExtension(ReadOnlySpan<char> path) => GetExtensionLength(path) > 0;

    /// <summary>Removes the module extension (see <see cref="HasModuleExtension"/>) from the end of a path.</summary>
    /// <param name="path">A file name or path.</param>
    /// <returns><paramref name="path"/> without its module extension, or unchanged when it has none.</returns>
    public static ReadOnlySpan<char> StripModuleExtension(ReadOnlySpan<char> path) => path[..^GetExtensionLength(path)];

    /// <summary>Removes the module extension (see <see cref="HasModuleExtension"/>) from the end of a path.</summary>
    /// <param name="path">A file name or path.</param>
    /// <returns><paramref name="path"/> without its module extension, or the same string when it has none.</returns>
    public static string StripModuleExtension(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        int length = GetExtensionLength(path);
        return length == 0 ? path : path[..^length];
    }

    private static int GetExtensionLength(ReadOnlySpan<char> path)
    {
        foreach (string extension in KnownExtensions)
        {
            // kmod: "len <= ext.len -> continue", so the extension must not be the whole name.
            if (path.Length > extension.Length && path.EndsWith(extension, StringComparison.Ordinal))
            {
                return extension.Length;
            }
        }

        return 0;
    }
}
