using System.Text.RegularExpressions;

namespace ModKit.Tests.Support;

/// <summary>binutils' readelf on a shared library: its version definitions and versioned functions.</summary>
internal static partial class ReadElf
{
    /// <summary>Each version node the library defines (not its base name), with its parent or "".</summary>
    public static Dictionary<string, string> VersionDefinitions(string library)
    {
        string text = ProcessRunner.Run(ProcessRunner.Require("readelf"), ["-V", "-W", library]).StdoutText;
        int start = text.IndexOf("Version definition section", StringComparison.Ordinal);
        int end = text.IndexOf("Version needs section", StringComparison.Ordinal);
        var nodes = new Dictionary<string, string>(StringComparer.Ordinal);
        string? last = null;
        foreach (string line in text[(start < 0 ? 0 : start)..(end < 0 ? text.Length : end)].Split('\n'))
        {
            if (Definition().Match(line) is { Success: true } definition)
            {
                last = definition.Groups["base"].Success ? null : definition.Groups["name"].Value;
                if (last is not null)
                {
                    nodes[last] = "";
                }
            }
            else if (Parent().Match(line) is { Success: true } parent && last is not null)
            {
                nodes[last] = parent.Groups["name"].Value;
            }
        }

        return nodes;
    }

    /// <summary>Each function the library defines in its dynamic symbol table, with its default version.</summary>
    public static Dictionary<string, string> DefinedFunctions(string library)
    {
        string text = ProcessRunner.Run(ProcessRunner.Require("readelf"), ["--dyn-syms", "-W", library]).StdoutText;
        var functions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in DefinedFunction().Matches(text))
        {
            functions[match.Groups["name"].Value] = match.Groups["version"].Value;
        }

        return functions;
    }

    [GeneratedRegex(@"Flags: (?:(?<base>BASE)|\S+)\s+Index: \d+\s+Cnt: \d+\s+Name: (?<name>\S+)")]
    private static partial Regex Definition();

    [GeneratedRegex(@"Parent 1: (?<name>\S+)")]
    private static partial Regex Parent();

    [GeneratedRegex(@"^\s*\d+: [0-9a-f]+\s+\d+ FUNC\s+GLOBAL\s+DEFAULT\s+\d+ (?<name>[^@\s]+)@@(?<version>\S+)", RegexOptions.Multiline)]
    private static partial Regex DefinedFunction();
}
