using System.Text;
using System.Text.Json;
using ModKit.Tests.Support;

namespace ModKit.Tests.Json;

/// <summary>
/// <c>modprobe --json</c> with <c>--show-depends</c>, <c>--resolve-alias</c> and <c>--showconfig</c>: valid against
/// schemas/modprobe-*.schema.json and saying what the text output says, for every module name of Debian 12's tree
/// (kmod 30 profile) and Debian 13's (kmod 34.2 profile) with the modprobe.d fixture, and the edges of the plan.
/// </summary>
public sealed class ModprobeJsonTests
{
    private static readonly string Fixture = Path.Combine(RepositoryPaths.Root, "tests", "ModKit.Tests", "TestData", "modprobe.d");

    public static TheoryData<string> Releases => ["30", "34"];

    [Theory]
    [MemberData(nameof(Releases))]
    public void PlanOfEveryModuleSaysWhatTheTextSays(string release)
    {
        var (common, names, profile) = Setup(release);
        var text = InProcessTool.Run("modprobe", [.. common, "-a", "-D", .. names], profile: profile);
        var json = InProcessTool.Run("modprobe", [.. common, "-a", "-D", "--json", .. names], profile: profile);
        Assert.Equal(text.ExitCode, json.ExitCode);
        Assert.Equal(text.StderrText, json.StderrText);
        JsonSchemas.AssertValid("modprobe-plan", json.Stdout);

        using var document = JsonDocument.Parse(json.Stdout);
        var rebuilt = new StringBuilder();
        int arguments = 0;
        foreach (var argument in document.RootElement.EnumerateArray())
        {
            arguments++;
            foreach (var step in argument.GetProperty("steps").EnumerateArray())
            {
                string options = step.GetProperty("options").GetString()!;
                rebuilt.Append(step.GetProperty("kind").GetString() switch
                {
                    "install" => $"install {step.GetProperty("command").GetString()} {options}\n",
                    "insmod" => $"insmod {step.GetProperty("file").GetString()} {options}\n",
                    _ => $"builtin {step.GetProperty("module").GetString()}\n",
                });
            }
        }

        Assert.Equal(names.Length, arguments);
        Assert.True(text.Stdout.Length > 100_000);
        Assert.Equal(text.StdoutText, rebuilt.ToString());
    }

    [Theory]
    [MemberData(nameof(Releases))]
    public void StepsCarryTheEdgeThatBroughtThem(string release)
    {
        var (common, _, profile) = Setup(release);
        var json = InProcessTool.Run("modprobe", [.. common, "-D", "--json", "ext4"], profile: profile);
        JsonSchemas.AssertValid("modprobe-plan", json.Stdout);
        using var document = JsonDocument.Parse(json.Stdout);
        var steps = document.RootElement[0].GetProperty("steps").EnumerateArray().ToArray();
        var ext4 = steps.Single(s => s.GetProperty("module").GetString() == "ext4");
        Assert.Equal("requested", ext4.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, ext4.GetProperty("via").ValueKind);
        var jbd2 = steps.Single(s => s.GetProperty("module").GetString() == "jbd2");
        Assert.Equal("dependency", jbd2.GetProperty("reason").GetString());
        Assert.Equal("ext4", jbd2.GetProperty("via").GetString());

        // The fixture's "softdep 8021q post: bridge" and "softdep bridge pre: 8021q".
        Assert.Contains(Steps(common, profile, "8021q"), s => s is ("bridge", "softdep-post", "8021q"));
        Assert.Contains(Steps(common, profile, "bridge"), s => s is ("8021q", "softdep-pre", "bridge"));
        Assert.Contains(Steps(common, profile, "vfat"), s => s is ("nls_cp437", "softdep-pre", "vfat"));
    }

    private static List<(string Module, string Reason, string? Via)> Steps(string[] common, KmodProfile profile, string name)
    {
        var result = InProcessTool.Run("modprobe", [.. common, "-D", "--json", name], profile: profile);
        JsonSchemas.AssertValid("modprobe-plan", result.Stdout);
        using var document = JsonDocument.Parse(result.Stdout);
        return [.. document.RootElement[0].GetProperty("steps").EnumerateArray()
            .Select(s => (s.GetProperty("module").GetString()!, s.GetProperty("reason").GetString()!, s.GetProperty("via").GetString()))];
    }

    [Theory]
    [MemberData(nameof(Releases))]
    public void ResolvedAliasesSayWhatTheTextSays(string release)
    {
        var (common, names, profile) = Setup(release);
        string[] arguments = [.. names.Take(500), "fs-vfat", "my-sound", "pci:v000010ECd00008168sv0sd0bc0sc0i0", "symbol:ext4_bread", "no-such-module"];
        var text = InProcessTool.Run("modprobe", [.. common, "-a", "-R", .. arguments], profile: profile);
        var json = InProcessTool.Run("modprobe", [.. common, "-a", "-R", "--json", .. arguments], profile: profile);
        Assert.Equal(text.ExitCode, json.ExitCode);
        Assert.Equal(text.StderrText, json.StderrText);
        JsonSchemas.AssertValid("modprobe-resolve", json.Stdout);
        using var document = JsonDocument.Parse(json.Stdout);
        var rebuilt = new StringBuilder();
        foreach (var argument in document.RootElement.EnumerateArray())
        {
            foreach (var module in argument.GetProperty("modules").EnumerateArray())
            {
                rebuilt.Append(module.GetString()).Append('\n');
            }
        }

        Assert.Equal(text.StdoutText, rebuilt.ToString());
        var missing = document.RootElement.EnumerateArray().Single(a => a.GetProperty("argument").GetString() == "no-such-module");
        Assert.StartsWith("Module no-such-module not found in directory ", missing.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Releases))]
    public void ConfigurationSaysWhatTheTextSays(string release)
    {
        var (common, _, profile) = Setup(release);
        var text = InProcessTool.Run("modprobe", [.. common, "-c"], profile: profile);
        var json = InProcessTool.Run("modprobe", [.. common, "-c", "--json"], profile: profile);
        Assert.Equal(0, json.ExitCode);
        Assert.Equal(text.StderrText, json.StderrText);
        JsonSchemas.AssertValid("modprobe-config", json.Stdout);
        using var document = JsonDocument.Parse(json.Stdout);
        var root = document.RootElement;
        var rebuilt = new StringBuilder();
        foreach (var name in root.GetProperty("blacklist").EnumerateArray())
        {
            rebuilt.Append($"blacklist {name.GetString()}\n");
        }

        foreach (string kind in new[] { "install", "remove" })
        {
            foreach (var command in root.GetProperty(kind).EnumerateArray())
            {
                rebuilt.Append($"{kind} {command.GetProperty("module").GetString()} {command.GetProperty("command").GetString()}\n");
            }
        }

        foreach (var alias in root.GetProperty("alias").EnumerateArray())
        {
            rebuilt.Append($"alias {alias.GetProperty("pattern").GetString()} {alias.GetProperty("module").GetString()}\n");
        }

        foreach (var options in root.GetProperty("options").EnumerateArray())
        {
            rebuilt.Append($"options {options.GetProperty("module").GetString()} {options.GetProperty("options").GetString()}\n");
        }

        foreach (var softdep in root.GetProperty("softdep").EnumerateArray())
        {
            string pre = string.Join(' ', softdep.GetProperty("pre").EnumerateArray().Select(n => n.GetString()));
            string post = string.Join(' ', softdep.GetProperty("post").EnumerateArray().Select(n => n.GetString()));
            rebuilt.Append($"softdep {softdep.GetProperty("module").GetString()} {(pre.Length > 0 ? "pre: " + pre : "")}{(post.Length > 0 ? "post: " + post : "")}\n");
        }

        foreach (var weakdep in root.GetProperty("weakdep").EnumerateArray())
        {
            rebuilt.Append($"weakdep {weakdep.GetProperty("module").GetString()} {string.Join(' ', weakdep.GetProperty("modules").EnumerateArray().Select(n => n.GetString()))}\n");
        }

        rebuilt.Append("\n# End of configuration files. Dumping indexes now:\n\n");
        foreach (var (index, key) in new[] { ("aliases", "alias"), ("symbols", "symbol") })
        {
            foreach (var entry in root.GetProperty(index).EnumerateArray())
            {
                rebuilt.Append($"alias {entry.GetProperty(key).GetString()} {entry.GetProperty("module").GetString()}\n");
            }
        }

        Assert.True(root.GetProperty("aliases").GetArrayLength() > 10_000);
        Assert.True(root.GetProperty("softdep").GetArrayLength() > 0);
        Assert.Equal(text.StdoutText, rebuilt.ToString());
    }

    [Fact]
    public void JsonNeedsAQueryMode()
    {
        var (common, _, profile) = Setup("34");
        var result = InProcessTool.Run("modprobe", [.. common, "--json", "ext4"], profile: profile);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("modprobe: ERROR: --json works with --show-depends, --resolve-alias or --showconfig.\n", result.StderrText);
        Assert.Equal("", result.StdoutText);
    }

    [Fact]
    public void AFatalErrorStillEndsTheDocument()
    {
        var (common, _, profile) = Setup("34");
        var result = InProcessTool.Run("modprobe", [.. common, "-D", "--json", "no-such-module"], profile: profile);
        Assert.Equal(1, result.ExitCode);
        JsonSchemas.AssertValid("modprobe-plan", result.Stdout);
        using var document = JsonDocument.Parse(result.Stdout);
        Assert.Equal("no-such-module", document.RootElement[0].GetProperty("argument").GetString());
        Assert.Contains("FATAL: Module no-such-module not found", result.StderrText, StringComparison.Ordinal);
    }

    private static (string[] Common, string[] Names, KmodProfile Profile) Setup(string release)
    {
        var (tree, kind, profile) = release == "30" ? (KernelTree.Instance, "plain", KmodProfile.Kmod30) : (KernelTree.Trixie, "xz", KmodProfile.Kmod34);
        string[] names = [.. File.ReadLines(Path.Combine(tree.ModuleDirectory(kind), "modules.dep"))
            .Select(line => Path.GetFileName(line[..line.IndexOf(':')]))
            .Select(file => file[..file.IndexOf(".ko", StringComparison.Ordinal)])];
        return (["-d", tree.Root(kind), "-S", tree.Release, "-C", Fixture], names, profile);
    }
}
