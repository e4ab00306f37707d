using ModKit.Cli.GetOpt;
using ModKit.Cli.Tools;
using ModKit.Tests.Support;

namespace ModKit.Tests.Docs;

/// <summary>
/// The shell completions (completions/, laid out by build.sh in artifacts/completions), driven through bash,
/// zsh and fish themselves: each tool offers exactly the options of its option table in the release the
/// program imitates, module names from the real tree's indexes (-d/-S), module files for insmod, kmod's
/// commands and static-nodes' formats, and modkit's tools.
/// </summary>
public sealed class CompletionTests
{
    private static readonly string Completions = Path.Combine(RepositoryPaths.Root, "artifacts", "completions");
    private static readonly string Drivers = Path.Combine(RepositoryPaths.Root, "tests", "ModKit.Tests", "Docs");

    public static TheoryData<string, string, string> ToolsByShellAndRelease()
    {
        var data = new TheoryData<string, string, string>();
        foreach (string shell in new[] { "bash", "zsh", "fish" })
        {
            foreach (string tool in new[] { "insmod", "rmmod", "lsmod", "modinfo", "modprobe", "depmod" })
            {
                data.Add(shell, tool, "30");
                data.Add(shell, tool, "34");
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ToolsByShellAndRelease))]
    public void OffersExactlyTheOptionsOfTheOptionTable(string shell, string tool, string release)
    {
        var offered = Complete(shell, new() { ["MODKIT_KMOD"] = release }, tool, "-");
        Assert.Equal(Expected(tool, release), offered.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("zsh")]
    [InlineData("fish")]
    public void AsksTheInstalledProgramWhichReleaseItImitates(string shell)
    {
        // No MODKIT_KMOD: the release comes from `insmod --version`, here a program that says kmod 30's.
        using var bin = new TempDirectory();
        string fake = Path.Combine(bin.Path, "insmod");
        File.WriteAllText(fake, "#!/bin/sh\necho 'kmod version 30'\necho '-XZ -ZSTD'\n");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(fake, (UnixFileMode)0b111_101_101);
        }
        var environment = new Dictionary<string, string> { ["MODKIT_KMOD"] = "", ["PATH"] = bin.Path + ":" + Path.Combine(RepositoryPaths.Root, "artifacts", "bin") + ":/usr/bin:/bin" };
        Assert.Equal(Expected("insmod", "30"), Complete(shell, environment, "insmod", "-").Order(StringComparer.Ordinal));

        // The built program imitates kmod 34.2 unless built otherwise: its rmmod has no -w.
        environment.Remove("PATH");
        environment["PATH"] = Path.Combine(RepositoryPaths.Root, "artifacts", "bin") + ":/usr/bin:/bin";
        string built = ProcessRunner.Run(BuiltBinary.Path, ["--version"], environment: new Dictionary<string, string> { ["MODKIT_KMOD"] = "" }).StdoutText;
        string builtRelease = built.Contains("kmod version 30", StringComparison.Ordinal) ? "30" : "34";
        Assert.Equal(Expected("rmmod", builtRelease), Complete(shell, environment, "rmmod", "-").Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("zsh")]
    [InlineData("fish")]
    public void OffersTheModuleNamesOfTheTreesIndexes(string shell)
    {
        string root = KernelTree.Instance.Root("plain");
        string release = KernelTree.Instance.Release;
        string[] expected = [.. ModuleNamesStartingWith(root, release, "snd-hda-codec")];
        Assert.True(expected.Length > 5);
        foreach (string tool in new[] { "modprobe", "modinfo" })
        {
            string dirOption = tool == "modprobe" ? "-d" : "-b";
            string versionOption = tool == "modprobe" ? "-S" : "-k";
            var offered = Complete(shell, new() { ["MODKIT_KMOD"] = "34" }, tool, dirOption, root, versionOption, release, "snd-hda-codec");
            Assert.Equal(expected, offered.Distinct().Order(StringComparer.Ordinal));
        }
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("zsh")]
    [InlineData("fish")]
    public void OffersModuleFilesToInsmod(string shell)
    {
        using var dir = new TempDirectory();
        foreach (string name in new[] { "a.ko", "b.ko.xz", "c.ko.zst", "notes.txt" })
        {
            File.WriteAllText(Path.Combine(dir.Path, name), "");
        }

        var offered = Complete(shell, new() { ["MODKIT_KMOD"] = "34" }, "insmod", dir.Path + "/");
        Assert.Equal(new[] { "a.ko", "b.ko.xz", "c.ko.zst" }, offered.Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("zsh")]
    [InlineData("fish")]
    public void CompletesKmodAndModkitCommands(string shell)
    {
        var env = new Dictionary<string, string> { ["MODKIT_KMOD"] = "34" };
        Assert.Equal(["help", "list", "static-nodes"], Complete(shell, env, "kmod", "").Order(StringComparer.Ordinal));
        Assert.Equal(["devname", "human", "tmpfiles"], Complete(shell, env, "kmod", "static-nodes", "--format", "").Order(StringComparer.Ordinal));
        Assert.Equal(Options(StaticNodesOptions.Table), Complete(shell, env, "kmod", "static-nodes", "-").Order(StringComparer.Ordinal));
        Assert.Equal(
            ["depmod", "help", "insmod", "kmod", "list", "lsmod", "modinfo", "modprobe", "rmmod", "static-nodes"],
            Complete(shell, env, "modkit", "").Order(StringComparer.Ordinal));
        Assert.Equal(Expected("modprobe", "34"), Complete(shell, env, "modkit", "modprobe", "-").Order(StringComparer.Ordinal));
        Assert.Equal(["devname", "human", "tmpfiles"], Complete(shell, env, "modkit", "static-nodes", "-f", "").Order(StringComparer.Ordinal));
    }

    private static List<string> Complete(string shell, Dictionary<string, string> environment, params string[] words)
    {
        environment.TryAdd("PATH", Path.Combine(RepositoryPaths.Root, "artifacts", "bin") + ":/usr/bin:/bin");
        environment["HOME"] = Path.GetTempPath();
        var (program, args) = shell switch
        {
            "bash" => ("bash", new[] { "--norc", "--noprofile", Path.Combine(Drivers, "complete.bash"), Path.Combine(Completions, "bash") }),
            "zsh" => ("zsh", ["-f", Path.Combine(Drivers, "complete.zsh"), Path.Combine(Completions, "zsh")]),
            _ => ("fish", ["--no-config", Path.Combine(Drivers, "complete.fish"), Path.Combine(Completions, "fish")]),
        };
        var result = ProcessRunner.Run(program, [.. args, .. words], environment: environment, timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, $"{shell} {string.Join(' ', words)}: exit {result.ExitCode}: {result.StderrText}");
        return [.. result.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    private static IEnumerable<string> Expected(string tool, string release)
    {
        bool kmod30 = release == "30";
        OptionTable? table = tool switch
        {
            "insmod" => kmod30 ? InsmodOptions.Kmod30 : InsmodOptions.Kmod34,
            "rmmod" => kmod30 ? RmmodOptions.Kmod30 : RmmodOptions.Kmod34,
            "lsmod" => (kmod30 ? KmodProfile.Kmod30 : KmodProfile.Kmod34).LsmodReadsOptions ? LsmodOptions.Table : null,
            "modinfo" => ModinfoOptions.Table,
            "modprobe" => ModprobeOptions.Table,
            "depmod" => (kmod30 ? DepmodOptions.Kmod30 : DepmodOptions.Kmod34).Table,
            _ => throw new ArgumentOutOfRangeException(nameof(tool)),
        };
        // kmod 30's lsmod reads no options; ModKit's takes --json as its one argument.
        return table is null ? [LsmodOptions.JsonArgument] : Options(table);
    }

    private static IEnumerable<string> Options(OptionTable table) =>
        table.ShortOptions.Where(c => c is not (':' or '+' or '-')).Select(c => "-" + c)
            .Concat(table.LongOptions.Select(o => "--" + o.Name))
            .Distinct().Order(StringComparer.Ordinal);

    private static IEnumerable<string> ModuleNamesStartingWith(string root, string release, string prefix) =>
        File.ReadLines(Path.Combine(root, "lib", "modules", release, "modules.dep"))
            .Select(line => Path.GetFileName(line[..line.IndexOf(':')]))
            .Select(file => file[..file.IndexOf(".ko", StringComparison.Ordinal)])
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Distinct().Order(StringComparer.Ordinal);
}
