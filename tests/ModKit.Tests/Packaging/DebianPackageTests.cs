using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ModKit.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ModKit.Tests.Packaging;

/// <summary>
/// scripts/package.sh's Debian packages (modkit in place of kmod, modkit-libkmod2 in place of libkmod2), for
/// both profiles: kmod 30 for Debian 12 and kmod 34.2 for Debian 13. Each is compared with Debian's own
/// package of its release, downloaded during the test: every path, link and conffile, the control fields
/// that let apt swap them, the library's symbols; apt-get's plan on a real system of the release; a real
/// install into a throwaway copy of that system and the way back; and lintian.
/// </summary>
public sealed partial class DebianPackageTests(ITestOutputHelper output)
{
    /// <summary>
    /// Paths of Debian's kmod package that ModKit's does not have, each with the reason (a prefix covers a folder).
    /// </summary>
    private static readonly (string Prefix, string Reason)[] AbsentFromOurs =
    [
        ("usr/share/man/fr", "Debian 12's French translation of modules(5): ModKit's pages are in English only"),
        ("usr/share/doc/libkmod2", "Debian's documentation of kmod (README, TODO, changelogs): ours is in /usr/share/doc/modkit*"),
        ("usr/share/doc/kmod", "Debian's link to its libkmod2 documentation folder: ours is /usr/share/doc/modkit"),
    ];

    /// <summary>Paths ModKit's packages have and Debian's do not, each with the reason.</summary>
    private static readonly (string Prefix, string Reason)[] OnlyInOurs =
    [
        ("usr/share/doc/modkit", "the package's own copyright and changelog, as Debian requires"),
        ("usr/share/lintian", "lintian overrides for the tags explained in the README"),
        ("usr/share/man/man8/modkit.8.gz", "the manual page of the modkit command, ModKit's own front-end"),
        ("bin/modkit", "the modkit command (a link to kmod), ModKit's own front-end (Debian 12's layout)"),
        ("usr/bin/modkit", "the modkit command (a link to kmod), ModKit's own front-end (Debian 13's layout)"),
        ("usr/share/bash-completion/completions/modkit", "bash completion of the modkit command"),
        ("usr/share/zsh/site-functions/_modkit", "zsh completion of the modkit command"),
        ("usr/share/zsh/site-functions", "Debian 12's kmod has no zsh completions; ours has modkit's"),
        ("usr/share/zsh", "the folder of the zsh completion"),
        ("usr/share/fish/vendor_completions.d", "fish completions where fish looks them up (Debian 13's kmod puts its among functions)"),
        ("usr/share/fish", "the folder of the fish completions"),
    ];

    [Theory]
    [InlineData(30)]
    [InlineData(34)]
    public void TheToolsPackageHasEveryPathOfDebiansKmod(int profile)
    {
        var ours = DebianPackages.Contents(DebianPackages.Ours(profile).Tools);
        var theirs = DebianPackages.Contents(DebianPackages.Theirs(profile).Kmod);
        ComparePaths(ours, theirs, "kmod");

        // The program is the profile's build: the one the suite tested when it is of this profile.
        using var temp = new TempDirectory();
        string data = DebianPackages.Extract(DebianPackages.Ours(profile).Tools, temp);
        string program = theirs.ContainsKey("usr/bin/kmod") ? "usr/bin/kmod" : "bin/kmod";
        Assert.Equal(profile, DebianPackages.BuildProfile(Path.Combine(data, program)));
        string? suiteBinary = Environment.GetEnvironmentVariable("MODKIT_BIN");
        if (!string.IsNullOrEmpty(suiteBinary) && DebianPackages.BuildProfile(suiteBinary) == profile)
        {
            Assert.Equal(Hash(suiteBinary), Hash(Path.Combine(data, program)));
        }
    }

    [Theory]
    [InlineData(30)]
    [InlineData(34)]
    public void TheLibraryPackageHasLibkmod2sPaths(int profile)
    {
        var ours = DebianPackages.Contents(DebianPackages.Ours(profile).Library);
        var theirs = DebianPackages.Contents(DebianPackages.Theirs(profile).Libkmod);
        ComparePaths(ours, theirs, "libkmod2");
        Assert.Equal(theirs["usr/lib/x86_64-linux-gnu/libkmod.so.2"].LinkTarget, ours["usr/lib/x86_64-linux-gnu/libkmod.so.2"].LinkTarget);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(34)]
    public void ControlFieldsLetAptSwapThePackages(int profile)
    {
        var built = DebianPackages.Ours(profile);
        var debian = DebianPackages.Theirs(profile);
        string kmodVersion = DebianPackages.Field(debian.Kmod, "Version");
        string libVersion = DebianPackages.Field(debian.Libkmod, "Version");

        Assert.Equal("modkit", DebianPackages.Field(built.Tools, "Package"));
        Assert.Equal($"kmod (= {kmodVersion})", DebianPackages.Field(built.Tools, "Provides"));
        Assert.Equal("kmod", DebianPackages.Field(built.Tools, "Conflicts"));
        // Debian's own Breaks and Replaces (Debian 13: bash-completion before 2.16 had three of its completions).
        string theirReplaces = DebianPackages.Field(debian.Kmod, "Replaces");
        Assert.Equal(theirReplaces.Length == 0 ? "kmod" : "kmod, " + theirReplaces, DebianPackages.Field(built.Tools, "Replaces"));
        Assert.Equal(DebianPackages.Field(debian.Kmod, "Breaks"), DebianPackages.Field(built.Tools, "Breaks"));
        Assert.Equal(DebianPackages.Field(debian.Kmod, "Multi-Arch"), DebianPackages.Field(built.Tools, "Multi-Arch"));
        Assert.Equal("amd64", DebianPackages.Field(built.Tools, "Architecture"));
        Assert.Empty(DebianPackages.Field(built.Tools, "Depends")); // a static program

        Assert.Equal("modkit-libkmod2", DebianPackages.Field(built.Library, "Package"));
        Assert.Equal($"libkmod2 (= {libVersion})", DebianPackages.Field(built.Library, "Provides"));
        Assert.Equal("libkmod2", DebianPackages.Field(built.Library, "Conflicts"));
        Assert.Equal("libkmod2", DebianPackages.Field(built.Library, "Replaces"));
        Assert.Equal(DebianPackages.Field(debian.Libkmod, "Multi-Arch"), DebianPackages.Field(built.Library, "Multi-Arch"));
        Assert.Matches(@"^libc6 \(>= 2\.\d+\)$", DebianPackages.Field(built.Library, "Depends"));

        // Both carry the profile in their version, and the same version.
        string version = DebianPackages.Field(built.Tools, "Version");
        Assert.Matches($@"^\d+\.\d+\.\d+\+kmod{profile}\.\d+\.g[0-9a-f]+$", version);
        Assert.Equal(version, DebianPackages.Field(built.Library, "Version"));

        using var temp = new TempDirectory();
        string ourTools = DebianPackages.Control(built.Tools, temp);
        string theirTools = DebianPackages.Control(debian.Kmod, temp);
        string ourLibrary = DebianPackages.Control(built.Library, temp);
        string theirLibrary = DebianPackages.Control(debian.Libkmod, temp);

        // Debian's conffiles that are still files of the package (kmod 30's init script) are ours too.
        var theirConffiles = Lines(Path.Combine(theirTools, "conffiles"));
        Assert.Equal(theirConffiles, Lines(Path.Combine(ourTools, "conffiles")));

        // The triggers Debian's packages activate (the initramfs, the linker cache), and the maintainer
        // scripts they have for configure and purge.
        Assert.Equal(Activations(Path.Combine(theirTools, "triggers")), Activations(Path.Combine(ourTools, "triggers")));
        Assert.Equal(Activations(Path.Combine(theirLibrary, "triggers")), Activations(Path.Combine(ourLibrary, "triggers")));
        Assert.True(File.Exists(Path.Combine(ourTools, "postinst")), "modkit has no postinst (Debian's kmod creates /etc/modules there)");
        string data = DebianPackages.Extract(built.Tools, temp);
        foreach (string file in Lines(Path.Combine(ourTools, "md5sums")).Select(l => l[34..]))
        {
            Assert.True(File.Exists(Path.Combine(data, file)), file + " is in md5sums but not in the package");
        }

        // shlibs names the same library and package; the symbols file lists exactly Debian's symbols and nodes.
        Assert.Equal("libkmod 2 libkmod2", ShlibsHead(Path.Combine(theirLibrary, "shlibs")));
        Assert.Equal("libkmod 2 libkmod2", ShlibsHead(Path.Combine(ourLibrary, "shlibs")));
        Assert.Equal(Symbols(Path.Combine(theirLibrary, "symbols")), Symbols(Path.Combine(ourLibrary, "symbols")));
    }

    [Fact]
    public void AptOnThisDebian12SystemWouldReplaceKmodAndLibkmod2AndRemoveNothingElse()
    {
        var built = DebianPackages.Ours(30);
        var result = ProcessRunner.Run(ProcessRunner.Require("apt-get"), ["install", "--simulate", built.Tools, built.Library],
            environment: new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });
        output.WriteLine(result.StdoutText + result.StderrText);
        Assert.Equal(0, result.ExitCode);
        AssertSwapOnly(result.StdoutText);
    }

    [Fact]
    public void AptOnADebian13SystemWouldReplaceKmodAndLibkmod2AndRemoveNothingElse()
    {
        var built = DebianPackages.Ours(34);
        string status = Path.Combine(DebianPackages.TrixieRoot(), "var", "lib", "dpkg", "status");
        var result = ProcessRunner.Run("/bin/bash",
            [Path.Combine(RepositoryPaths.Root, "scripts", "trixie-apt.sh"), "-o", "Dir::State::status=" + status,
                "install", "--simulate", built.Tools, built.Library]);
        output.WriteLine(result.StdoutText + result.StderrText);
        Assert.Equal(0, result.ExitCode);
        AssertSwapOnly(result.StdoutText);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(34)]
    public void InstallsInPlaceOfKmodAndGoesBack(int profile)
    {
        string report = DebianPackages.InstallReport(profile);
        string Read(string name) => File.Exists(Path.Combine(report, name)) ? File.ReadAllText(Path.Combine(report, name)) : "";
        output.WriteLine(Read("install.log"));
        output.WriteLine(Read("revert.log"));

        var before = Status(Read("status-before.txt"));
        var installed = Status(Read("status-modkit.txt"));
        var reverted = Status(Read("status-debian.txt"));
        Assert.Equal("ii", before["kmod"].State);
        Assert.Equal("ii", before["libkmod2"].State);

        // With ModKit: kmod and libkmod2 removed (kmod's configuration kept, as apt does), ours installed,
        // every other package as it was.
        Assert.Equal("ii", installed["modkit"].State);
        Assert.Equal("ii", installed["modkit-libkmod2"].State);
        Assert.NotEqual("ii", installed["kmod"].State);
        Assert.False(installed.TryGetValue("libkmod2", out var lib) && lib.State == "ii", "libkmod2 is still installed");
        string[] swapped = ["kmod", "libkmod2", "modkit", "modkit-libkmod2"];
        Assert.Equal(Without(before, swapped), Without(installed, swapped));

        // The programs and the library the system now runs are ours.
        using var temp = new TempDirectory();
        string tools = DebianPackages.Extract(DebianPackages.Ours(profile).Tools, temp);
        string library = DebianPackages.Extract(DebianPackages.Ours(profile).Library, temp);
        string program = File.Exists(Path.Combine(tools, "usr", "bin", "kmod")) ? Path.Combine(tools, "usr", "bin", "kmod") : Path.Combine(tools, "bin", "kmod");
        Assert.Equal(Hash(program), Hash(Path.Combine(report, "kmod")));
        string libraryFile = Directory.GetFiles(Path.Combine(library, "usr", "lib", "x86_64-linux-gnu"))
            .Single(f => Path.GetFileName(f).StartsWith("libkmod.so.2.", StringComparison.Ordinal));
        Assert.Equal(Hash(libraryFile), Hash(Path.Combine(report, "libkmod.so.2")));
        Assert.Contains("libkmod.so.2 (libc6,x86-64) => /", Read("ldconfig.txt"), StringComparison.Ordinal);
        foreach (string line in Read("links.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.Matches(@"^\S+ (/usr)?/bin/kmod$", line);
        }

        Assert.StartsWith("# /etc/modules", Read("modules.txt"), StringComparison.Ordinal);
        if (profile == 30)
        {
            // Debian's kmod takes the execute bit off /etc/init.d/kmod when it is removed; ours gives it back.
            Assert.Equal("755", Read("init.d-mode.txt").Trim());
        }
        else
        {
            // The Debian 13 root has a kernel and initramfs-tools: the trigger rebuilt its initramfs with our hook.
            var initramfs = Read("initramfs.txt").Split('\n');
            Assert.Contains("usr/bin/kmod", initramfs);
            Assert.Contains("usr/sbin/modprobe", initramfs);
            Assert.Contains("usr/sbin/rmmod", initramfs);
            Assert.Equal(Hash(program), Hash(Path.Combine(report, "initramfs-kmod")));
        }

        // Back to Debian's packages with apt-get install: the same packages as before (ours left as configuration).
        Assert.Equal(Without(before, ["modkit", "modkit-libkmod2"]), Without(reverted, ["modkit", "modkit-libkmod2"]));
        Assert.Equal("ii", reverted["kmod"].State);
        Assert.Equal("ii", reverted["libkmod2"].State);
        string theirs = DebianPackages.Extract(DebianPackages.Theirs(profile).Kmod, temp);
        string theirProgram = File.Exists(Path.Combine(theirs, "usr", "bin", "kmod")) ? Path.Combine(theirs, "usr", "bin", "kmod") : Path.Combine(theirs, "bin", "kmod");
        Assert.Equal(Hash(theirProgram), Hash(Path.Combine(report, "kmod-reverted")));

        // Purging ours then leaves kmod's files and /etc/modules in place.
        var remaining = Read("after-purge.txt").Split('\n');
        Assert.Contains("/etc/modules", remaining);
        Assert.Contains(profile == 30 ? "/bin/kmod" : "/usr/bin/kmod", remaining);
        if (profile == 30)
        {
            Assert.Contains("/etc/init.d/kmod", remaining);
        }
    }

    [Fact]
    public void LintianReportsNothingThatIsNotExplained()
    {
        // One lintian run for the four packages: its start-up is most of its time.
        string[] packages = [.. new[] { 30, 34 }.Select(DebianPackages.Ours).SelectMany(b => new[] { b.Tools, b.Library })];
        var result = ProcessRunner.Run(ProcessRunner.Require("lintian"), ["--tag-display-limit", "0", .. packages],
            timeout: TimeSpan.FromMinutes(5));
        output.WriteLine(result.StdoutText + result.StderrText);
        // Errors and warnings fail the test; overridden tags (each explained in packaging/debian/*.lintian-overrides) are not shown.
        var tags = result.StdoutText.Split('\n').Where(l => l.StartsWith("E: ", StringComparison.Ordinal) || l.StartsWith("W: ", StringComparison.Ordinal)).ToList();
        Assert.True(tags.Count == 0, "lintian: " + string.Join("\n", tags));
    }

    [Fact]
    public void TheSameCommitGivesTheSameBytes()
    {
        int profile = DebianPackages.BuildProfile(BuiltBinary.Path) ?? 34;
        var first = DebianPackages.Ours(profile);
        string tools = Hash(first.Tools), library = Hash(first.Library);
        var again = DebianPackages.RunPackageScript(profile);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(tools, Hash(first.Tools));
        Assert.Equal(library, Hash(first.Library));
    }

    private static void ComparePaths(Dictionary<string, DebianPackages.Entry> ours, Dictionary<string, DebianPackages.Entry> theirs, string package)
    {
        var problems = new List<string>();
        foreach (var (path, entry) in theirs)
        {
            if (!ours.TryGetValue(path, out var mine))
            {
                if (!AbsentFromOurs.Any(a => path.StartsWith(a.Prefix, StringComparison.Ordinal)))
                {
                    problems.Add($"missing: {path} (in Debian's {package})");
                }

                continue;
            }

            if (mine.Type != entry.Type)
            {
                problems.Add($"{path}: type {mine.Type}, Debian's {entry.Type}");
            }
            else if (entry.Type == 'l' && mine.LinkTarget != entry.LinkTarget)
            {
                problems.Add($"{path}: link to {mine.LinkTarget}, Debian's to {entry.LinkTarget}");
            }
            else if (entry.Type == '-' && (mine.Mode.Contains('x', StringComparison.Ordinal) != entry.Mode.Contains('x', StringComparison.Ordinal)))
            {
                problems.Add($"{path}: mode {mine.Mode}, Debian's {entry.Mode}");
            }
        }

        foreach (string path in ours.Keys.Where(p => !theirs.ContainsKey(p)))
        {
            bool folderOfTheirs = theirs.Keys.Any(t => t.StartsWith(path + "/", StringComparison.Ordinal));
            if (!folderOfTheirs && !OnlyInOurs.Any(o => path.StartsWith(o.Prefix, StringComparison.Ordinal)))
            {
                problems.Add($"extra: {path} (not in Debian's {package})");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>apt-get's plan removes exactly kmod and libkmod2 and installs exactly ours.</summary>
    private static void AssertSwapOnly(string plan)
    {
        var removed = plan.Split('\n').Where(l => l.StartsWith("Remv ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).Order(StringComparer.Ordinal);
        var installed = plan.Split('\n').Where(l => l.StartsWith("Inst ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).Order(StringComparer.Ordinal);
        Assert.Equal(["kmod", "libkmod2"], removed);
        Assert.Equal(["modkit", "modkit-libkmod2"], installed);
    }

    private static Dictionary<string, (string State, string Version)> Status(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 3)
            .ToDictionary(f => f[0], f => (f[1], f[2]), StringComparer.Ordinal);

    private static List<string> Without(Dictionary<string, (string State, string Version)> status, string[] names) =>
        status.Where(p => !names.Contains(p.Key)).Select(p => $"{p.Key} {p.Value.State} {p.Value.Version}").Order(StringComparer.Ordinal).ToList();

    private static string[] Lines(string file) =>
        File.Exists(file) ? File.ReadAllLines(file).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray() : [];

    private static string[] Activations(string file) => Lines(file).Order(StringComparer.Ordinal).ToArray();

    private static string ShlibsHead(string file) =>
        string.Join(' ', Lines(file).First(l => !l.StartsWith("udeb:", StringComparison.Ordinal)).Split(' ').Take(3));

    /// <summary>The name@node pairs of a symbols file.</summary>
    private static string[] Symbols(string file) =>
        Lines(file).Where(l => l.StartsWith(' ')).Select(l => SymbolLine().Match(l)).Where(m => m.Success)
            .Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToArray();

    private static string Hash(string file) => File.Exists(file) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))) : "missing " + file;

    [GeneratedRegex(@"^ (\S+@\S+) ")]
    private static partial Regex SymbolLine();
}
