namespace ModKit.Cli.Tools;

/// <summary>
/// modinfo's merge of <c>parm</c> and <c>parmtype</c> entries by parameter name. kmod builds the list
/// by prepending, so parameters print in reverse order of first appearance; a later description or
/// type replaces an earlier one.
/// </summary>
internal sealed class ParameterList
{
    private readonly List<Parameter> _items = [];

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

    public IEnumerable<Parameter> InPrintOrder()
    {
        for (int i = _items.Count - 1; i >= 0; i--)
        {
            yield return _items[i];
        }
    }

    internal sealed class Parameter(ReadOnlyMemory<byte> name)
    {
        public ReadOnlyMemory<byte> Name { get; } = name;

        public ReadOnlyMemory<byte>? Description { get; set; }

        public ReadOnlyMemory<byte>? Type { get; set; }
    }
}
