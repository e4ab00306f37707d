using System.Text;
using ModKit.Modules;

namespace ModKit.Config;

/// <summary>The modprobe.d line syntax (<c>libkmod-config.c: kmod_config_parse</c>).</summary>
internal sealed class ModprobeConfigParser(ModprobeConfig config, bool parseWeakDependencies, bool keepEndOfFileAfterBackslash, Action<ConfigDiagnostic>? sink)
{
    private const string ParseFunction = "kmod_config_parse";

    private char[] _chars = new char[256];

    public void ParseFile(byte[] data, string fileName)
    {
        var reader = new ConfigLineReader(data, keepEndOfFileAfterBackslash);
        while (reader.TryRead(out ReadOnlySpan<byte> bytes, out int lineNumber))
        {
            // Only a '#' in the very first column starts a comment; an indented one is a bad line.
            if (bytes.Length > 0 && bytes[0] != (byte)'#')
            {
                int needed = Encoding.UTF8.GetMaxCharCount(bytes.Length);
                if (needed > _chars.Length)
                {
                    _chars = new char[needed];
                }

                int length = Encoding.UTF8.GetChars(bytes, _chars);
                ParseLine(_chars.AsSpan(0, length), lineNumber, fileName);
            }
        }
    }

    private void ParseLine(ReadOnlySpan<char> line, int lineNumber, string fileName)
    {
        var tokens = new ConfigTokenizer(line);
        var cmd = tokens.Next();
        if (cmd.IsEmpty)
        {
            return;
        }

        bool ok;
        switch (cmd)
        {
            case "alias":
                {
                    ok = TryUnderscores(tokens.Next(), out string? alias) & TryUnderscores(tokens.Next(), out string? module);
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
                    ok = TryModuleAndRest(ref tokens, out string? module, out var rest);
                    if (ok)
                    {
                        config.OptionList.Add(new ModuleOptions(module!, rest.ToString().Replace('\t', ' ')));
                    }

                    break;
                }

            case "install":
            case "remove":
                {
                    ok = TryModuleAndRest(ref tokens, out string? module, out var rest);
                    if (ok)
                    {
                        (cmd is "install" ? config.InstallList : config.RemoveList).Add(new ModuleCommand(module!, rest.ToString()));
                    }

                    break;
                }

            case "softdep":
                {
                    ok = TryModuleAndRest(ref tokens, out string? module, out var rest);
                    if (ok)
                    {
                        config.SoftDependencyList.Add(ParseSoftDependency(module!, rest));
                    }

                    break;
                }

            case "weakdep" when parseWeakDependencies:
                {
                    ok = TryModuleAndRest(ref tokens, out string? module, out var rest);
                    if (ok)
                    {
                        var modules = new List<string>();
                        var words = new KmodWords(rest);
                        while (words.TryNext(out var word))
                        {
                            modules.Add(word.ToString());
                        }

                        config.WeakDependencyList.Add(new WeakDependency(module!, modules));
                    }

                    break;
                }

            case "include":
            case "config":
                config.Report(ParseFunction, $"{fileName}: command {cmd.ToString()} is deprecated and not parsed anymore", sink);
                return;

            default:
                ok = false;
                break;
        }

        if (!ok)
        {
            config.Report(ParseFunction, $"{fileName} line {lineNumber}: ignoring bad line starting with '{cmd.ToString()}'", sink);
        }
    }

    // "MODNAME REST": the module is a token, the rest is everything after the one separator that ended it.
    private static bool TryModuleAndRest(ref ConfigTokenizer tokens, out string? module, out ReadOnlySpan<char> rest)
    {
        bool ok = TryUnderscores(tokens.Next(), out module);
        rest = tokens.Rest();
        return ok && !rest.IsEmpty;
    }

    // kmod's underscores(): dashes become underscores outside [...]; a missing word or a stray ']' is an error.
    private static bool TryUnderscores(ReadOnlySpan<char> word, out string? normalized)
    {
        normalized = null;
        if (word.IsEmpty || !ModuleName.TryNormalizeAlias(word.ToString(), out string result))
        {
            return false;
        }

        normalized = result;
        return true;
    }

    private static SoftDependency ParseSoftDependency(string module, ReadOnlySpan<char> rest)
    {
        List<string>? pre = null, post = null;
        int current = 0; // 1 after "pre:", 2 after "post:"
        var words = new KmodWords(rest);
        while (words.TryNext(out var word))
        {
            switch (word)
            {
                case "pre:":
                    current = 1;
                    break;
                case "post:":
                    current = 2;
                    break;
                default:
                    if (current != 0)
                    {
                        (current == 1 ? pre ??= [] : post ??= []).Add(word.ToString());
                    }

                    break;
            }
        }

        return new SoftDependency(module, pre ?? (IReadOnlyList<string>)[], post ?? (IReadOnlyList<string>)[]);
    }
}
