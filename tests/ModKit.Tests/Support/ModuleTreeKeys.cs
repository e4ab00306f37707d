namespace ModKit.Tests.Support;

/// <summary>
/// Lookup keys taken from the text files of a module directory made by kmod's depmod: module names,
/// builtin names, symbols and concrete device strings built from the alias patterns.
/// </summary>
internal static class ModuleTreeKeys
{
    /// <summary>Every module of modules.dep, as its file name spells it (dashes kept).</summary>
    public static List<string> ModuleNames(string moduleDirectory) =>
        File.ReadLines(Path.Combine(moduleDirectory, "modules.dep"))
            .Select(line => Path.GetFileName(line[..line.IndexOf(':')]))
            .Select(file => file[..file.IndexOf('.')])
            .ToList();

    public static List<string> BuiltinNames(string moduleDirectory) =>
        File.ReadLines(Path.Combine(moduleDirectory, "modules.builtin"))
            .Select(line => Path.GetFileName(line))
            .Select(file => file[..file.IndexOf('.')])
            .ToList();

    /// <summary>Every <paramref name="every"/>-th symbol of modules.symbols, as <c>symbol:NAME</c>.</summary>
    public static List<string> SymbolNames(string moduleDirectory, int every) =>
        File.ReadLines(Path.Combine(moduleDirectory, "modules.symbols"))
            .Where((_, i) => i % every == 0)
            .Select(line => line.Split(' ')[1])
            .ToList();

    /// <summary>
    /// Concrete device strings made from the alias patterns of modules.alias (every wildcard replaced),
    /// every second one to keep runs short, plus every tenth pattern itself, a few well-known aliases and
    /// a few that match nothing or are malformed.
    /// </summary>
    public static List<string> ConcreteAliases(string moduleDirectory)
    {
        var result = new List<string>();
        int i = 0;
        foreach (var line in File.ReadLines(Path.Combine(moduleDirectory, "modules.alias")))
        {
            var parts = line.Split(' ');
            if (parts.Length < 3 || i++ % 2 != 0)
            {
                continue;
            }

            string pattern = parts[1];
            result.Add(pattern.Replace("*", "0A").Replace("?", "1"));
            if (i % 10 == 1)
            {
                result.Add(pattern);
            }
        }

        result.Add("fs-ext4");
        result.Add("crypto-sha256");
        result.Add("no-such-alias");
        result.Add("bad[alias");
        result.Add("bad]alias");
        return result;
    }
}
