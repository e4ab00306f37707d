using System.Text;
using System.Text.Json;
using ModKit.Tests.Support;

namespace ModKit.Tests.Json;

/// <summary>
/// <c>modinfo --json</c>: valid against schemas/modinfo.schema.json and saying what the text output says, for every
/// module of Debian 12's tree (kmod 30 profile) and of Debian 13's signed .ko.xz tree (kmod 34.2 profile), by
/// path, name, alias, builtin and with errors.
/// </summary>
public sealed class ModinfoJsonTests
{
    public static TheoryData<string> Releases => ["30", "34"];

    [Theory]
    [MemberData(nameof(Releases))]
    public void EveryModuleOfTheTreeSaysWhatTheTextSays(string release)
    {
        var (tree, kind, profile) = Setup(release);
        string[] files = [.. tree.ModuleFiles(kind)];
        Assert.True(files.Length > 4000);
        string[] common = ["-b", tree.Root(kind), "-k", tree.Release];
        var text = InProcessTool.Run("modinfo", [.. common, .. files], profile: profile);
        var json = InProcessTool.Run("modinfo", [.. common, "--json", .. files], profile: profile);
        Assert.Equal(0, json.ExitCode);
        Assert.Equal(text.StderrText, json.StderrText);
        JsonSchemas.AssertValid("modinfo", json.Stdout);
        AssertSameAsText(json.Stdout, text.Stdout, profile);
    }

    [Theory]
    [MemberData(nameof(Releases))]
    public void NamesAliasesBuiltinsAndErrors(string release)
    {
        var (tree, kind, profile) = Setup(release);
        string builtin = Path.GetFileName(File.ReadLines(Path.Combine(tree.ModuleDirectory(kind), "modules.builtin")).First()).Split('.')[0];
        string[] args = ["-b", tree.Root(kind), "-k", tree.Release, "ext4", "fs-vfat", builtin, "no_such_module", "snd-hda-codec-realtek", "pci:v00008086d00001234sv*sd*bc*sc*i*"];
        var text = InProcessTool.Run("modinfo", args, profile: profile);
        var json = InProcessTool.Run("modinfo", ["--json", .. args], profile: profile);
        Assert.Equal(text.ExitCode, json.ExitCode);
        Assert.Equal(1, json.ExitCode);
        Assert.Equal(text.StderrText, json.StderrText);
        JsonSchemas.AssertValid("modinfo", json.Stdout);
        AssertSameAsText(json.Stdout, text.Stdout, profile);

        using var document = JsonDocument.Parse(json.Stdout);
        var items = document.RootElement.EnumerateArray().ToArray();
        var builtinItem = items.Single(i => i.GetProperty("argument").GetString() == builtin);
        Assert.True(builtinItem.GetProperty("builtin").GetBoolean());
        Assert.Equal(JsonValueKind.Null, builtinItem.GetProperty("filename").ValueKind);
        var error = items.Single(i => i.GetProperty("argument").GetString() == "no_such_module");
        Assert.Equal("Module no_such_module not found.", error.GetProperty("error").GetString());
        Assert.Contains("modinfo: ERROR: Module no_such_module not found.", json.StderrText, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Releases))]
    public void AFieldOptionKeepsOnlyThatField(string release)
    {
        var (tree, kind, profile) = Setup(release);
        string[] common = ["-b", tree.Root(kind), "-k", tree.Release];
        foreach (string[] option in new[] { new[] { "-F", "alias" }, ["-a"], ["-p"], ["-F", "firmware"] })
        {
            var text = InProcessTool.Run("modinfo", [.. common, .. option, "snd-hda-intel", "e1000e"], profile: profile);
            var json = InProcessTool.Run("modinfo", [.. common, .. option, "--json", "snd-hda-intel", "e1000e"], profile: profile);
            JsonSchemas.AssertValid("modinfo", json.Stdout);
            using var document = JsonDocument.Parse(json.Stdout);
            var values = new StringBuilder();
            foreach (var item in document.RootElement.EnumerateArray())
            {
                foreach (var field in item.GetProperty("fields").EnumerateArray())
                {
                    values.Append(field.GetProperty("value").GetString()).Append('\n');
                }

                foreach (var parameter in item.GetProperty("parameters").EnumerateArray())
                {
                    values.Append(ParameterOnly(parameter)).Append('\n');
                }
            }

            Assert.Equal(Encoding.UTF8.GetString(text.Stdout), values.ToString());
        }
    }

    private static (KernelTree Tree, string Kind, KmodProfile Profile) Setup(string release) =>
        release == "30" ? (KernelTree.Instance, "plain", KmodProfile.Kmod30) : (KernelTree.Trixie, "xz", KmodProfile.Kmod34);

    // The text modinfo prints, rebuilt from the document (-F, -0 aside): the oracle for "says the same".
    private static void AssertSameAsText(byte[] json, byte[] text, KmodProfile profile)
    {
        using var document = JsonDocument.Parse(json);
        var rebuilt = new StringBuilder();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            if (item.TryGetProperty("error", out _))
            {
                continue;
            }

            if (item.GetProperty("builtin").GetBoolean())
            {
                rebuilt.Append("name:           ").Append(item.GetProperty("name").GetString()).Append('\n');
            }

            rebuilt.Append("filename:       ").Append(item.GetProperty("filename").GetString() ?? "(builtin)").Append('\n');
            foreach (var field in item.GetProperty("fields").EnumerateArray())
            {
                string key = field.GetProperty("key").GetString()!;
                int keyLength = Encoding.UTF8.GetByteCount(key);
                int padding = profile.ModinfoClampsLongKeys ? Math.Max(0, 15 - keyLength) : Math.Abs(15 - keyLength);
                rebuilt.Append(key).Append(':').Append(' ', padding).Append(field.GetProperty("value").GetString()).Append('\n');
            }

            foreach (var parameter in item.GetProperty("parameters").EnumerateArray())
            {
                rebuilt.Append("parm:           ").Append(parameter.GetProperty("name").GetString()).Append(':');
                bool hasType = parameter.TryGetProperty("type", out var type);
                if (parameter.TryGetProperty("description", out var description))
                {
                    rebuilt.Append(description.GetString());
                    if (hasType)
                    {
                        rebuilt.Append(" (").Append(type.GetString()).Append(')');
                    }
                }
                else
                {
                    rebuilt.Append(type.GetString());
                }

                rebuilt.Append('\n');
            }
        }

        string expected = Encoding.UTF8.GetString(text);
        string actual = rebuilt.ToString();
        if (expected != actual)
        {
            int at = 0;
            while (at < Math.Min(expected.Length, actual.Length) && expected[at] == actual[at])
            {
                at++;
            }

            Assert.Fail($"differs at {at}: text «{expected.Substring(Math.Max(0, at - 80), Math.Min(160, expected.Length - Math.Max(0, at - 80)))}» json «{actual.Substring(Math.Max(0, at - 80), Math.Min(160, actual.Length - Math.Max(0, at - 80)))}»");
        }
    }

    // modinfo -p's line for a parameter.
    private static string ParameterOnly(JsonElement parameter)
    {
        string name = parameter.GetProperty("name").GetString()!;
        bool hasType = parameter.TryGetProperty("type", out var type);
        return parameter.TryGetProperty("description", out var description)
            ? name + ":" + description.GetString() + (hasType ? " (" + type.GetString() + ")" : "")
            : name + ": (" + type.GetString() + ")";
    }
}
