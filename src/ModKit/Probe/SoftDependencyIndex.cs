using ModKit.Config;
using ModKit.Text;

namespace ModKit.Probe;

/// <summary>
/// Finds the first <c>softdep</c> line whose pattern matches a module name, as a scan of the lines in order with
/// <c>fnmatch</c> would, without matching every line against every module: lines that name one module are found by
/// name, and only the patterns with wildcards before that line are matched. A plan for a thousand modules with
/// Debian's configuration and a tree's modules.softdep (56 lines) matched every line for each of them.
/// </summary>
internal sealed class SoftDependencyIndex
{
    private readonly IReadOnlyList<SoftDependency> _lines;
    private readonly Dictionary<string, int> _firstByName = new(StringComparer.Ordinal);
    private readonly List<int> _patterns = [];

    public SoftDependencyIndex(IReadOnlyList<SoftDependency> lines)
    {
        _lines = lines;
        for (int i = 0; i < lines.Count; i++)
        {
            if (FnMatch.IsLiteral(lines[i].ModuleName))
                _firstByName.TryAdd(lines[i].ModuleName, i);
            else
                _patterns.Add(i);
        }
    }

    /// <summary>The first line whose pattern matches <paramref name="moduleName"/>, or <see langword="null"/>.</summary>
    public SoftDependency? FirstMatch(string moduleName)
    {
        // A name fnmatch would not take byte for byte (a NUL, a lone surrogate) is matched line by line.
        if (!FnMatch.IsLiteral(moduleName))
            return _lines.FirstOrDefault(line => FnMatch.IsMatch(line.ModuleName, moduleName));

        int first = _firstByName.TryGetValue(moduleName, out int named) ? named : int.MaxValue;
        foreach (int i in _patterns)
        {
            if (i > first)
                break;
            if (FnMatch.IsMatch(_lines[i].ModuleName, moduleName))
                return _lines[i];
        }

        return first == int.MaxValue ? null : _lines[first];
    }
}
