using System.Runtime.InteropServices;

namespace ModKit.Native;

/// <summary>
/// What a <c>struct kmod_config_iter *</c> points at: one kind of configuration entry of a context, as
/// key and value C strings the context owns (kmod's point into its configuration, which lives as long
/// as the context), and the position (none until the first <c>kmod_config_iter_next</c>).
/// </summary>
internal sealed unsafe class KmodConfigIter
{
    private readonly ConfigEntry[] _entries;
    private int _position = -1;

    public KmodConfigIter(ConfigEntry[] entries)
    {
        _entries = entries;
        Handle = GCHandle.ToIntPtr(GCHandle.Alloc(this));
    }

    public nint Handle { get; }

    public static KmodConfigIter? From(nint handle) => handle == 0 ? null : (KmodConfigIter?)GCHandle.FromIntPtr(handle).Target;

    public byte* Key => _position >= 0 ? _entries[_position].Key : null;

    public byte* Value => _position >= 0 ? _entries[_position].Value : null;

    /// <summary>
    /// Moves to the next entry; whether there is one. Without a current entry (at first, and after the
    /// last one, as in kmod) it moves to the first.
    /// </summary>
    public bool Next()
    {
        _position = _position < 0 ? 0 : _position + 1;
        if (_position >= _entries.Length)
        {
            _position = -1;
        }

        return _position >= 0;
    }

    public void Free() => GCHandle.FromIntPtr(Handle).Free();
}

/// <summary>A configuration entry's key and value (NULL for a blacklist line) as C strings.</summary>
internal readonly unsafe struct ConfigEntry(nint key, nint value)
{
    public byte* Key => (byte*)key;

    public byte* Value => (byte*)value;
}
