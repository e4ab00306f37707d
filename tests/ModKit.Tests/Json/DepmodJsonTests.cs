using System.Text.Json;
using ModKit.Tests.Support;

namespace ModKit.Tests.Json;

/// <summary>
/// <c>depmod -n --json</c>: valid against schemas/depmod-graph.schema.json; its modules.dep lines are the text
/// output's, for Debian 12's tree (kmod 30 profile) and Debian 13's .ko.xz tree (kmod 34.2 profile); every
/// module's full list is the closure of the graph's edges.
/// </summary>
public sealed class DepmodJsonTests
{
    public static TheoryData<string> Releases => ["30", "34"];

    [Theory]
    [MemberData(nameof(Releases))]
    public void GraphSaysWhatModulesDepSays(string release)
    {
        var (tree, kind, profile) = release == "30" ? (KernelTree.Instance, "plain", KmodProfile.Kmod30) : (KernelTree.Trixie, "xz", KmodProfile.Kmod34);
        string[] args = ["-b", tree.Root(kind), "-n", tree.Release];
        var text = InProcessTool.Run("depmod", args, profile: profile);
        var json = InProcessTool.Run("depmod", ["--json", .. args], profile: profile);
        Assert.Equal(0, json.ExitCode);
        Assert.Equal(text.StderrText, json.StderrText);
        JsonSchemas.AssertValid("depmod-graph", json.Stdout);

        // modules.dep comes first in -n's output, up to modules.alias's header.
        string[] dependencyLines = [.. text.StdoutText.Split('\n').TakeWhile(l => !l.StartsWith('#'))];
        using var document = JsonDocument.Parse(json.Stdout);
        var modules = document.RootElement.GetProperty("modules").EnumerateArray().ToArray();
        Assert.True(modules.Length > 4000);
        string[] rebuilt = [.. modules.Select(m => m.GetProperty("path").GetString() + ":" +
            string.Concat(m.GetProperty("all_dependencies").EnumerateArray().Select(d => " " + d.GetString())))];
        Assert.Equal(dependencyLines, rebuilt);

        // Each module's full list is what its edges reach.
        var edges = modules.ToDictionary(m => m.GetProperty("path").GetString()!,
            m => m.GetProperty("dependencies").EnumerateArray().Select(d => d.GetString()!).ToArray());
        foreach (var module in modules)
        {
            var reached = new HashSet<string>();
            var pending = new Stack<string>(edges[module.GetProperty("path").GetString()!]);
            while (pending.TryPop(out string? next))
            {
                if (reached.Add(next))
                {
                    foreach (string further in edges[next])
                    {
                        pending.Push(further);
                    }
                }
            }

            Assert.Equal(reached.Order(StringComparer.Ordinal),
                module.GetProperty("all_dependencies").EnumerateArray().Select(d => d.GetString()!).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void JsonNeedsShow()
    {
        var tree = KernelTree.Instance;
        var result = InProcessTool.Run("depmod", ["--json", "-b", tree.Root("plain"), tree.Release], profile: KmodProfile.Kmod30);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("depmod: ERROR: --json works with -n (--show, --dry-run).\n", result.StderrText);
    }
}
