using System.Text.Json;
using ModKit.Kernel;
using ModKit.Tests.Support;

namespace ModKit.Tests.Json;

/// <summary><c>lsmod --json</c>, <c>kmod list --json</c> and <c>modkit list --json</c> against a fake kernel.</summary>
public sealed class LsmodJsonTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly FakeKernel _kernel;

    public LsmodJsonTests()
    {
        _kernel = new FakeKernel(_root.Path);
        _kernel.AddLoadedModule("crc16", size: 16384, holders: ["ext4", "jbd2"]);
        _kernel.AddLoadedModule("jbd2", size: 167936, holders: ["ext4"]);
        _kernel.AddLoadedModule("ext4", size: 1007616);
        _kernel.AddLoadedModule("hello", size: 12288, refCount: 3);
        // An out-of-tree, unsigned module: taint flags at the end of its /proc/modules line.
        string procModules = Path.Combine(_root.Path, "proc", "modules");
        File.WriteAllLines(procModules, File.ReadAllLines(procModules).Select(l => l.StartsWith("hello ", StringComparison.Ordinal) ? l + " (OE)" : l));
    }

    public void Dispose() => _root.Dispose();

    public static TheoryData<string, string[], string> CommandLines => new()
    {
        { "lsmod", ["--json"], "30" },
        { "lsmod", ["--json"], "34" },
        { "kmod", ["list", "--json"], "34" },
        { "modkit", ["list", "--json"], "34" },
    };

    [Theory]
    [MemberData(nameof(CommandLines))]
    public void SaysWhatTheTableSays(string argv0, string[] args, string release)
    {
        var profile = release == "30" ? KmodProfile.Kmod30 : KmodProfile.Kmod34;
        var json = InProcessTool.Run(argv0, args, kernel: _kernel, profile: profile);
        var table = InProcessTool.Run("lsmod", [], kernel: _kernel, profile: profile);
        Assert.Equal(0, json.ExitCode);
        Assert.Equal("", json.StderrText);
        JsonSchemas.AssertValid("lsmod", json.Stdout);

        // The table rebuilt from the document is the table lsmod prints.
        using var document = JsonDocument.Parse(json.Stdout);
        var lines = new List<string> { "Module                  Size  Used by" };
        foreach (var module in document.RootElement.EnumerateArray())
        {
            string holders = string.Join(',', module.GetProperty("holders").EnumerateArray().Select(h => h.GetString()));
            lines.Add($"{module.GetProperty("name").GetString(),-19} {module.GetProperty("size").GetInt64(),8}  {module.GetProperty("refcount").GetInt32()}" +
                (holders.Length > 0 ? " " + holders : ""));
        }

        Assert.Equal(table.StdoutText, string.Join('\n', lines) + "\n");
        var hello = document.RootElement.EnumerateArray().Single(m => m.GetProperty("name").GetString() == "hello");
        Assert.Equal("OE", hello.GetProperty("taints").GetString());
        Assert.Equal("Live", hello.GetProperty("state").GetString());
        var crc16 = document.RootElement.EnumerateArray().Single(m => m.GetProperty("name").GetString() == "crc16");
        Assert.Equal("", crc16.GetProperty("taints").GetString());
    }

    [Fact]
    public void AnUnreadableValueIsNull()
    {
        File.Delete(Path.Combine(_root.Path, "sys/module/ext4/refcnt"));
        var json = InProcessTool.Run("lsmod", ["--json"], kernel: _kernel, profile: KmodProfile.Kmod34);
        JsonSchemas.AssertValid("lsmod", json.Stdout);
        using var document = JsonDocument.Parse(json.Stdout);
        var ext4 = document.RootElement.EnumerateArray().Single(m => m.GetProperty("name").GetString() == "ext4");
        Assert.Equal(JsonValueKind.Null, ext4.GetProperty("refcount").ValueKind);
    }

    [Fact]
    public void Kmod30StillRefusesEveryOtherArgument()
    {
        var result = InProcessTool.Run("lsmod", ["--json", "x"], kernel: _kernel, profile: KmodProfile.Kmod30);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Usage: lsmod\n", result.StderrText);
    }

    [Fact]
    public void NoLoadedModulesIsAnEmptyArray()
    {
        using var empty = new TempDirectory();
        var kernel = new FakeKernel(empty.Path);
        kernel.AddLoadedModule("x");
        File.WriteAllText(Path.Combine(empty.Path, "proc", "modules"), "");
        var result = InProcessTool.Run("lsmod", ["--json"], kernel: kernel, profile: KmodProfile.Kmod34);
        Assert.Equal("[]\n", result.StdoutText);
        JsonSchemas.AssertValid("lsmod", result.Stdout);
    }
}
