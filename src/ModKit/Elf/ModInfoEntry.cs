using System.Text;

namespace ModKit.Elf;

/// <summary>
/// One <c>key=value</c> string of a module's <c>.modinfo</c> section (or of
/// <c>modules.builtin.modinfo</c> for a builtin module). The raw bytes are kept as they are in the
/// file so that tools can print them byte for byte; <see cref="Key"/> and <see cref="Value"/> decode
/// them as UTF-8 for convenience.
/// </summary>
public sealed class ModInfoEntry
{
    /// <summary>Creates an entry from raw bytes.</summary>
    /// <param name="rawKey">The bytes before the first <c>=</c>.</param>
    /// <param name="rawValue">The bytes after the first <c>=</c> (empty when there is none).</param>
    public ModInfoEntry(ReadOnlyMemory<byte> rawKey, ReadOnlyMemory<byte> rawValue)
    {
        RawKey = rawKey;
        RawValue = rawValue;
    }

    /// <summary>Creates an entry from strings (encoded as UTF-8).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    public ModInfoEntry(string key, string value)
        : this(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value))
    {
    }

    /// <summary>The key as stored, e.g. <c>license</c>.</summary>
    public ReadOnlyMemory<byte> RawKey { get; }

    /// <summary>The value as stored.</summary>
    public ReadOnlyMemory<byte> RawValue { get; }

    /// <summary>The key decoded as UTF-8.</summary>
    public string Key => Encoding.UTF8.GetString(RawKey.Span);

    /// <summary>The value decoded as UTF-8.</summary>
    public string Value => Encoding.UTF8.GetString(RawValue.Span);

    /// <summary>Whether the key equals <paramref name="key"/> byte for byte (kmod compares keys case-sensitively).</summary>
    /// <param name="key">ASCII or UTF-8 key bytes.</param>
    public bool KeyIs(ReadOnlySpan<byte> key) => RawKey.Span.SequenceEqual(key);

    /// <inheritdoc/>
    public override string ToString() => $"{Key}={Value}";
}
