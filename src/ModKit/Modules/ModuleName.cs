namespace ModKit.Modules;

/// <summary>
/// Module-name and alias normalisation, with kmod's rules (<c>shared/util.c</c>): dashes and
/// underscores are the same character in module names, and a module name ends at its first dot.
/// </summary>
public static class ModuleName
{
    /// <summary>kmod builds names in <c>PATH_MAX</c> buffers and silently cuts them to 4095 bytes.</summary>
    public const int MaxLength = 4095;

    /// <summary>
    /// Normalises a module name: <c>-</c> becomes <c>_</c>, and the name stops at the first <c>.</c>
    /// (<c>modname_normalize</c>).
    /// </summary>
    /// <param name="name">A module name, possibly with dashes or a file extension.</param>
    /// <returns>The normalised name.</returns>
    public static string Normalize(string name) => Normalize(name.AsSpan());

    private static string Normalize(ReadOnlySpan<char> name)
    {
        int dot = name.IndexOf('.');
        var span = name[..Math.Min(dot < 0 ? name.Length : dot, MaxLength)];
        int nul = span.IndexOf('\0');
        if (nul >= 0)
        {
            span = span[..nul];
        }

        return span.Contains('-') ? span.ToString().Replace('-', '_') : span.ToString();
    }

    /// <summary>
    /// The module name of a file path: its base name, normalised (<c>path_to_modname</c>).
    /// </summary>
    /// <param name="path">A path such as <c>/lib/modules/6.1.0/kernel/fs/ext4/ext4.ko.xz</c>.</param>
    /// <returns>The name (<c>ext4</c>), or <see langword="null"/> when the path ends with <c>/</c> or is empty.</returns>
    public static string? FromPath(string path)
    {
        // The base name is normalised in place, not copied first.
        var baseName = path.AsSpan(path.LastIndexOf('/') + 1);
        return baseName.IsEmpty ? null : Normalize(baseName);
    }

    /// <summary>
    /// Normalises an alias: <c>-</c> becomes <c>_</c> except inside <c>[...]</c> character classes
    /// (<c>alias_normalize</c>). An unmatched <c>]</c> or an unterminated <c>[</c> makes the alias invalid.
    /// </summary>
    /// <param name="alias">The alias, e.g. <c>pci:v00008086d*</c> or <c>snd-hda-intel</c>.</param>
    /// <param name="normalized">The normalised alias.</param>
    /// <returns>Whether the alias is valid.</returns>
    public static bool TryNormalizeAlias(string alias, out string normalized)
    {
        if (alias.Length <= MaxLength && alias.AsSpan().IndexOfAny("-[]\0") < 0)
        {
            normalized = alias; // nothing to change: the common case, without a copy
            return true;
        }

        var buffer = new System.Text.StringBuilder(Math.Min(alias.Length, MaxLength));
        int i = 0;
        for (; i < alias.Length && i < MaxLength; i++)
        {
            char c = alias[i];
            if (c == '\0')
            {
                break;
            }

            switch (c)
            {
                case '-':
                    buffer.Append('_');
                    break;
                case ']':
                    normalized = string.Empty;
                    return false;
                case '[':
                    int close = alias.IndexOf(']', i);
                    int nul = alias.IndexOf('\0', i);
                    if (close < 0 || (nul >= 0 && nul < close))
                    {
                        normalized = string.Empty;
                        return false;
                    }

                    buffer.Append(alias, i, close - i + 1);
                    i = close;
                    break;
                default:
                    buffer.Append(c);
                    break;
            }
        }

        normalized = buffer.Length > MaxLength ? buffer.ToString(0, MaxLength) : buffer.ToString();
        return true;
    }

    /// <summary>The last component of a path, as glibc's GNU <c>basename</c> gives it (empty after a trailing slash).</summary>
    /// <param name="path">A path.</param>
    /// <returns>The text after the last <c>/</c>.</returns>
    public static string BaseName(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? path : path[(slash + 1)..];
    }
}
