using System.Text;
using System.Text.RegularExpressions;
using ModKit.Tests.Support;

namespace ModKit.Tests.Tools;

/// <summary>
/// The program run as <c>kmod</c>, and under names kmod does not know, against kmod 30 and kmod 34.2 (ModKit's
/// binary in the matching profile); <c>kmod static-nodes</c> has its own tests (<see cref="StaticNodesDifferentialTests"/>).
/// </summary>
public sealed partial class KmodToolTests
{
    public static TheoryData<string, string> CommandLines()
    {
        // '|' separates the arguments; "''" is an empty one. This host has no /proc/modules: "list" fails as kmod's does.
        string[] lines =
        [
            "", "-h", "--help", "--hel", "--help=3", "-V", "--version", "--vers", "--version|x", "-Vh", "-hV", "-x", "--bogus", "-x|list",
            "help", "help|x", "help|-V", "--|help", "--|--|list", "''", "foo", "list|x", "list|-h", "list|-V", "list|-x", "list|x|-h",
            "list|-v", "list|-vvv", "list|-vvvv", "list|-s", "list|-s|-vvv", "list|--", "list|--|x", "--|list", "--|list|-x", "--|list|x",
            "static-nodes|--help", "static-nodes|-x", "--|static-nodes|--help", "-V|static-nodes", "insmod", "lsmod",
        ];
        var data = new TheoryData<string, string>();
        foreach (string oracle in new[] { "30", "34" })
        {
            foreach (string line in lines)
            {
                data.Add(oracle, line);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CommandLines))]
    public void CommandLineMatchesKmod(string oracleName, string line)
    {
        var oracle = KmodOracle.Named(oracleName);
        string[] args = line.Length == 0 ? [] : [.. line.Split('|').Select(a => a == "''" ? "" : a)];
        var expected = Normalize(oracle.Run("kmod", args), fromKmod: true);
        var actual = Normalize(oracle.RunModKit("kmod", args), fromKmod: false);
        Assert.True(actual.SameAs(expected), $"{oracle} kmod {string.Join(' ', args)}: {actual.DescribeDifference(expected)}");
    }

    [Theory]
    [InlineData("30", "foo")]
    [InlineData("34", "foo")]
    [InlineData("30", "kmod.old")]
    [InlineData("34", "kmod.old")]
    [InlineData("30", "KMOD")]
    [InlineData("34", "KMOD")]
    [InlineData("30", "/x/kmod/")]
    [InlineData("34", "/x/kmod/")]
    [InlineData("30", "/x/kmod")]
    [InlineData("34", "/x/kmod")]
    [InlineData("30", "./lsmod")]
    [InlineData("34", "./lsmod")]
    public void ProgramNamesMatchKmod(string oracleName, string argv0)
    {
        var oracle = KmodOracle.Named(oracleName);
        foreach (string[] args in new[] { Array.Empty<string>(), ["-h"], ["-V"], ["list", "x"] })
        {
            var (program, prefix, name) = oracle.Invocation(argv0);
            var expected = Normalize(ProcessRunner.Run(program, [.. prefix, .. args], argv0: name), fromKmod: true);
            var actual = Normalize(ProcessRunner.Run(BuiltBinary.Path, args, argv0: argv0, environment: oracle.ModKitEnvironment), fromKmod: false);
            Assert.True(actual.SameAs(expected), $"{oracle} as {argv0} {string.Join(' ', args)}: {actual.DescribeDifference(expected)}");
        }
    }

    [Fact]
    public void UnknownNamesExitAsKmodDoes()
    {
        Assert.Equal(254, InProcessTool.Run("foo", ["-h"], profile: KmodProfile.Kmod30).ExitCode);
        Assert.Equal(1, InProcessTool.Run("foo", ["-h"], profile: KmodProfile.Kmod34).ExitCode);
        Assert.Equal(string.Empty, InProcessTool.Run("foo", ["-h"]).StdoutText);
    }

    [Fact]
    public void ModKitFrontEndOffersStaticNodes()
    {
        using var root = new TempDirectory();
        string folder = Path.Combine(root.Path, "lib/modules/6.1.0-test");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "modules.devname"), "# comment\ntun net/tun c10:200\n");

        var result = InProcessTool.Run("modkit", ["static-nodes", "--format=tmpfiles"], root: root.Path, kernelRelease: "6.1.0-test", profile: KmodProfile.Kmod34);

        Assert.Equal("d /dev/net 0755 - - -\nc! /dev/net/tun 0600 - - - 10:200\n", result.StdoutText);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("static-nodes", InProcessTool.Run("modkit", ["--help"]).StdoutText);

        // "modkit kmod ..." is kmod's front-end.
        var viaModKit = InProcessTool.Run("modkit", ["kmod", "help"], profile: KmodProfile.Kmod30);
        var viaKmod = InProcessTool.Run("kmod", ["help"], profile: KmodProfile.Kmod30);
        Assert.True(viaModKit.SameAs(viaKmod), viaModKit.DescribeDifference(viaKmod));
    }

    // ModKit reads gzip modules where Debian's kmod prints -ZLIB; Debian's kmod 30 logs libkmod's source
    // locations (Kmod.NormalizeLibkmodLocation); libkmod's notes print addresses.
    private static ProcessResult Normalize(ProcessResult result, bool fromKmod)
    {
        string stdout = result.StdoutText;
        string stderr = result.StderrText;
        if (fromKmod)
        {
            stdout = stdout.Replace(" -ZLIB ", " +ZLIB ", StringComparison.Ordinal);
            stderr = Encoding.UTF8.GetString(Kmod.NormalizeLibkmodLocation(result.Stderr));
        }

        stderr = Address().Replace(stderr, "0xADDRESS");
        return result with { Stdout = Encoding.UTF8.GetBytes(stdout), Stderr = Encoding.UTF8.GetBytes(stderr) };
    }

    [GeneratedRegex("0x[0-9a-f]+")]
    private static partial Regex Address();
}
