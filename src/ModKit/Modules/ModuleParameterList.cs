namespace ModKit.Modules;

/// <summary>
/// modinfo's merge of a module's <c>parm</c> (description) and <c>parmtype</c> (type) entries by parameter name.
/// kmod builds the list by prepending, so parameters print in reverse order of first appearance; a later
/// description or type replaces an earlier one.
/// </summary>
public sealed class ModuleParameterList
{
    private readonly List<Parameter> _items = [];

    /// <summary>Adds a description or a type (the value of a <c>parm</c> or <c>parmtype</c> entry after its colon).</summary>
    /// <param name="name">The parameter's name (before the colon).</param>
    /// <param name="text">The description or the type.</param>
    /// <param name="isType">Whether <paramref name="text"/> is a type (<c>parmtype</c>).</param>
    public void Add(ReadOnlyMemory<byte> name, ReadOnlyMemory<byte> text, bool isType)
    {
        var item = _items.Find(p => p.Name.Span.SequenceEqual(name.Span));
        if (item is null)
        {
            item = new Parameter(name);
            _items.Add(item);
        }

        if (isType)
        {
            item.Type = text;
        }
        else
        {
            item.Description = text;
        }
    }

    /// <summary>Whether an entry describes a parameter (<c>parm</c> or <c>parmtype</c>): modinfo prints those merged, last.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>Whether it belongs to this list rather than to the plain fields.</returns>
    public static bool IsParameterEntry(ModKit.Elf.ModInfoEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.KeyIs("parm"u8) || entry.KeyIs("parmtype"u8);
    }

    /// <summary>
    /// Adds a <c>parm</c> or <c>parmtype</c> entry; false (nothing added) when its value has no colon, which
    /// modinfo reports as invalid.
    /// </summary>
    /// <param name="entry">The entry.</param>
    /// <returns>Whether the entry had a colon.</returns>
    public bool TryAdd(ModKit.Elf.ModInfoEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var value = entry.RawValue;
        int colon = value.Span.IndexOf((byte)':');
        if (colon < 0)
        {
            return false;
        }

        Add(value[..colon], value[(colon + 1)..], isType: entry.KeyIs("parmtype"u8));
        return true;
    }

    /// <summary>The parameters in the order modinfo prints them.</summary>
    /// <returns>The parameters.</returns>
    public IEnumerable<Parameter> InPrintOrder()
    {
        for (int i = _items.Count - 1; i >= 0; i--)
        {
            yield return _items[i];
        }
    }

    /// <summary>One parameter: its name and, where given, its description and type, as the module's bytes.</summary>
    /// <param name="name">The name.</param>
    public sealed class Parameter(ReadOnlyMemory<byte> name)
    {
        /// <summary>The parameter's name.</summary>
        public ReadOnlyMemory<byte> Name { get; } = name;

        /// <summary>The description (<c>parm</c>), or null.</summary>
        public ReadOnlyMemory<byte>? Description { get; internal set; }

        /// <summary>The type (<c>parmtype</c>), or null.</summary>
        public ReadOnlyMemory<byte>? Type { get; internal set; }
    }
}
