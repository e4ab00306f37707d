using System.Text;
using ModKit.Modules;

namespace ModKit.Config;

/// <summary>The modprobe.d line syntax (<c>libkmod-config.c: kmod_config_parse</c>).</summary>
internal sealed class ModprobeConfigParser(ModprobeConfig config, bool parseWeakDependencies, Action<ConfigDiagnostic>? sink)
{
    private const string ParseFunction = "kmod_config_parse";

    public void ParseFile(byte[] data, string fileName)
    {
        foreach (var (line, lineNumber) in ConfigLineReader.ReadLogicalLines(data))
        {
            ParseLine(line, lineNumber, fileName);
        }
    }

    private void ParseLine(string line, int lineNumber, string fileName)
    {
        // Only a '#' in the very first column starts a comment; an indented one is a bad line.
        if (line.Length == 0 || line[0] == '#')
        {
            return;
        }

        var tokens = new ConfigTokenizer(line);
        string? cmd = tokens.Next();
        if (cmd is null)
        {
            return;
        }

        bool ok;
        switch (cmd)
        {
            case "alias":
                {
                    string? alias = tokens.Next();
                    string? module = tokens.Next();
                    ok = TryUnderscores(alias, out alias) && TryUnderscores(module, out module);
                    if (ok)
                    {
                        config.AliasList.Add(new ConfigAlias(alias!, module!));
                    }

                    break;
                }

            case "blacklist":
                {
                    ok = TryUnderscores(tokens.Next(), out string? module);
                    if (ok)
                    {
                        config.BlacklistList.Add(module!);
                    }

                    break;
                }

            case "options":
                {
                    ok = TryModuleAndRest(ref tokens, out string? module, out string? rest);
                    if (ok)
                    {
                        config.OptionList.Add(new ModuleOptions(module!, rest!.Replace('\t', ' ')));
                    }

                    break;
                }

            case "install":
            case "remove":
                {
                    ok = TryModuleAndRest(ref tokens, out string? module, out string? rest);
                    if (ok)
                    {
                        (cmd == "install" ? config.InstallList : config.RemoveList).Add(new ModuleCommand(module!, rest!));
                    }

                    break;
                }

            case "softdep":
                {
                    ok = TryModuleAndRest(ref tokens, out string? module, out string? rest);
                    if (ok)
                    {
                        config.SoftDependencyList.Add(ParseSoftDependency(module!, rest!));
                    }

                    break;
                }

            case "weakdep" when parseWeakDependencies:
                {
                    ok = TryModuleAndRest(ref tokens, out string? module, out string? rest);
                    if (ok)
                    {
                        var modules = new List<string>();
                        foreach (string word in SplitLikeKmod(rest!))
                        {
                            modules.Add(word);
                        }

                        config.WeakDependencyList.Add(new WeakDependency(module!, modules));
                    }

                    break;
                }

            case "include":
            case "config":
                config.Report(ParseFunction, $"{fileName}: command {cmd} is deprecated and not parsed anymore", sink);
                return;

            default:
                ok = false;
                break;
        }

        if (!ok)
        {
            config.Report(ParseFunction, $"{fileName} line {lineNumber}: ignoring bad line starting with '{cmd}'", sink);
        }
    }

    // "MODNAME REST": the module is a token, the rest is everything after the one separator that ended it.
    private static bool TryModuleAndRest(ref ConfigTokenizer tokens, out string? module, out string? rest)
    {
        bool ok = TryUnderscores(tokens.Next(), out module);
        rest = tokens.Rest();
        return ok && rest is not null;
    }

    // kmod's underscores(): dashes become underscores outside [...]; a missing word or a stray ']' is an error.
    private static bool TryUnderscores(string? word, out string? normalized)
    {
        normalized = null;
        if (word is null || !ModuleName.TryNormalizeAlias(word, out string result))
        {
            return false;
        }

        normalized = result;
        return true;
    }

    private static SoftDependency ParseSoftDependency(string module, string rest)
    {
        var pre = new List<string>();
        var post = new List<string>();
        List<string>? current = null;
        foreach (string word in SplitLikeKmod(rest))
        {
            switch (word)
            {
                case "pre:":
                    current = pre;
                    break;
                case "post:":
                    current = post;
                    break;
                default:
                    current?.Add(word);
                    break;
            }
        }

        return new SoftDependency(module, pre, post);
    }

    // The word splitter of kmod_config_add_softdep/_weakdep, quirk included: when the text starts with a
    // single whitespace character, that character stays in the first word (so " pre: a" has no "pre:").
    internal static IEnumerable<string> SplitLikeKmod(string text)
    {
        int p = 0;
        bool wasSpace = false;
        for (int s = 0; ; s++)
        {
            bool end = s == text.Length;
            if (!end)
            {
                if (!IsCSpace(text[s]))
                {
                    wasSpace = false;
                    continue;
                }

                if (wasSpace)
                {
                    p = s + 1;
                    continue;
                }

                wasSpace = true;
                if (p >= s)
                {
                    continue;
                }
            }

            if (!end || !wasSpace)
            {
                yield return text[p..s];
            }

            p = s + 1;
            if (end)
            {
                yield break;
            }
        }
    }

    internal static bool IsCSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';
}
