using ModKit.Tests.Support;
using Xunit.Abstractions;

namespace ModKit.Tests.Modprobe;

/// <summary>
/// modprobe against kmod's modprobe with the modprobe.d files of TestData/modprobe.d (every directive,
/// against real module names; passed with -C to both tools): -D, -R and -n -v plans for every module name
/// and for concrete device aliases built from modules.alias, each fixture directive, -c, -i, -b,
/// --first-time, the compression forms, MODPROBE_OPTIONS and the command line's errors. Byte for byte on
/// stdout and stderr, plus the exit status. Each test runs in one or more setups: kmod 30 on Debian 12's
/// trees (ModKit as kmod 30), kmod 34.2 on Debian 13's trees and kmod 34.2 on Debian 12's trees (ModKit as
/// kmod 34.2); the 34 setups run fewer modes where the 30 one already covers the shared code. Nothing here
/// loads or removes a module: every run has -D, -R, -n or -c (or fails in option parsing), and both tools
/// see the same /sys/module.
/// </summary>
public sealed class ModprobeDifferentialTests(ITestOutputHelper output)
{
    /// <summary>kmod 30 on Debian 12's trees.</summary>
    private const string Kmod30 = "30";

    /// <summary>kmod 34.2 on Debian 13's trees.</summary>
    private const string Kmod34 = "34";

    /// <summary>kmod 34.2 on Debian 12's trees.</summary>
    private const string Kmod34OnDebian12 = "34-debian12";

    private static readonly string Fixture = Path.Combine(RepositoryPaths.Root, "tests", "ModKit.Tests", "TestData", "modprobe.d");

    // Names that reach each directive of the fixture, plus neighbours that must not.
    private static readonly string[] FixtureNames =
    [
        // alias: plain, to a module with dependencies, wildcards, two lines for one name, a pattern and an
        // exact name both matching, to a module that does not exist, to a blacklisted module.
        "my-storage", "my_storage", "my-sound", "eth0", "eth-x", "block-dev-7", "block-dev-3", "block_dev_1",
        "fs-removable", "wifi-3", "wifi-x", "net-pf-99", "legacy-floppy", "my-bt", "disk-y", "disk_y", "disk-w", "disk--",
        "usb:v0BDAp0129d0000dc00dsc00dp00ic08isc06ip50in00", "usb:v0BDAp0129", "crc-itu-t", "udf",
        // options: by name (two lines, tabs, a continuation, quotes), by alias, by alias pattern, of a dependency.
        "snd-hda-intel", "snd_hda_intel", "loop", "fat", "vfat", "msdos", "bluetooth", "btusb", "usb-storage",
        "pci:v000010ECd00008168sv0sd0bc0sc0i0", "pci:v000010ECd00008168sv1sd2bc3sc4i5", "r8169",
        // install/remove: for a module, for a name that is no module (lookup step 4), a pattern, a
        // dependency, a name that is also an alias.
        "soundcore", "snd-pcm", "snd-timer", "snd-seq", "dummy", "my-fake-service", "my_fake_service", "fail-service", "env-report", "ums-karma", "ums_cypress", "uas", "evdev",
        // blacklist: by name, reached by an index alias, a blacklisted name that is no module.
        "pcspkr", "e1000e", "floppy", "pnp:dPNP0700", "block-major-2-0", "pci:v00008086d00005511sv0sd0bc0sc0i0",
        "no-such-module",
        // softdep: pre and post, a loop, on an alias, on nothing, with an install command, a pattern,
        // one that modules.softdep also has, modules.softdep's own.
        "8021q", "bridge", "joydev", "psmouse", "tun", "veth", "ext4", "jbd2", "nvme", "nvme-core", "nvme-fc",
        "btrfs", "cifs", "ksmbd", "ipmi_msghandler", "intel_lpss", "r8169", "vfio", "xt_LOG", "libcrc32c",
        // builtins (of the tree; some also in this host's /sys/module), symbols, index aliases.
        "crc32c", "nls_base", "bsg", "overlay", "fuse", "ipv6", "symbol:ext4_bread", "symbol:no_such_symbol",
        "fs-ext4", "crypto-sha256", "char-major-10-200", "devname:loop-control",
        // names that match nothing, or are malformed.
        "nosuch", "bad[alias", "bad]alias", "a.b", "-", "my-sound.ko",
        // weakdep lines (never loaded), and a *.alias file's alias (kmod 30 only).
        "snd-hda-codec-hdmi", "nls_cp437", "sg", "crc16", "old-alias-file",
    ];

    private static KmodOracle Oracle(string setup) => setup == Kmod30 ? KmodOracle.Kmod30 : KmodOracle.Kmod34;

    private static KernelTree Tree(string setup) => setup == Kmod34 ? KernelTree.Trixie : KernelTree.Instance;

    private static List<string> BaseOptions(string setup, string kind = "plain") =>
        ["-d", Tree(setup).Root(kind), "-S", Tree(setup).Release, "-C", Fixture];

    private ModprobeComparison Comparison(string setup) => new(output, Oracle(setup));

    private void AssertNoDifferences<T>(List<T> differences, int cases, string what)
    {
        output.WriteLine($"{cases} {what}: {differences.Count} differences");
        foreach (var d in differences.Take(30))
        {
            output.WriteLine($"  differs: {d}");
        }

        Assert.Empty(differences);
    }

    public static TheoryData<string, string, string> EveryModuleNameModes() => new()
    {
        { Kmod30, "plain", "-D" },
        { Kmod30, "plain", "-R" },
        { Kmod30, "plain", "-n -v" },
        { Kmod30, "plain", "-n -vv" },
        { Kmod30, "plain", "-n -q" },
        { Kmod30, "plain", "-D -i" },
        { Kmod30, "plain", "-D -b" },
        { Kmod30, "plain", "-D --first-time" },
        { Kmod30, "plain", "-n -v -i -b --first-time" },
        { Kmod30, "xz", "-D" },
        { Kmod30, "xz", "-n -v" },
        { Kmod30, "zst", "-D" },
        { Kmod30, "zst", "-n -v" },
        { Kmod34, "plain", "-D" },
        { Kmod34, "plain", "-R" },
        { Kmod34, "plain", "-n -v" },
        { Kmod34, "plain", "-n -vv" },
        { Kmod34, "plain", "-n -q" },
        { Kmod34, "plain", "-D -i" },
        { Kmod34, "plain", "-D -b" },
        { Kmod34, "plain", "-D --first-time" },
        { Kmod34, "plain", "-n -v -i -b --first-time" },
        { Kmod34, "xz", "-D" },
        { Kmod34, "xz", "-n -v" },
        { Kmod34OnDebian12, "plain", "-D" },
        { Kmod34OnDebian12, "plain", "-R" },
        { Kmod34OnDebian12, "xz", "-n -v" },
        { Kmod34OnDebian12, "zst", "-D" },
    };

    /// <summary>Every module of modules.dep, many names a process (<c>-a</c>).</summary>
    [Theory]
    [MemberData(nameof(EveryModuleNameModes))]
    public void EveryModuleNameMatchesKmod(string setup, string kind, string mode)
    {
        var names = ModuleTreeKeys.ModuleNames(Tree(setup).ModuleDirectory(kind));
        Assert.True(names.Count > 3000, $"expected the whole tree, found {names.Count} modules");
        var differences = Comparison(setup).DifferencesInBatches(names, [.. BaseOptions(setup, kind), .. mode.Split(' ')]);
        AssertNoDifferences(differences, names.Count, $"module names ({setup}, {kind}, '{mode}')");
    }

    public static TheoryData<string, string, int> ModuleNameAloneModes() => new()
    {
        { Kmod30, "-D", 20 },
        { Kmod30, "-n -v", 50 },
        { Kmod30, "-R", 50 },
        { Kmod34, "-D", 40 },
        { Kmod34, "-n -v", 50 },
        { Kmod34, "-R", 100 },
    };

    /// <summary>A sample of module names one process each, without -a (so "fatal" messages are fatal).</summary>
    [Theory]
    [MemberData(nameof(ModuleNameAloneModes))]
    public void ModuleNamesAloneMatchKmod(string setup, string mode, int every)
    {
        var names = ModuleTreeKeys.ModuleNames(Tree(setup).ModuleDirectory("plain")).Where((_, i) => i % every == 0).ToList();
        var cases = names.Select(name => new ModprobeCase([.. BaseOptions(setup), .. mode.Split(' '), name])).ToList();
        AssertNoDifferences(Comparison(setup).Differences(cases), cases.Count, $"module names alone ({setup}, '{mode}')");
    }

    public static TheoryData<string, string, int> DeviceAliasModes() => new()
    {
        { Kmod30, "-D", 1 },
        { Kmod30, "-R", 1 },
        { Kmod30, "-n -v", 5 },
        { Kmod34, "-D", 1 },
        { Kmod34, "-R", 1 },
        { Kmod34, "-n -v", 5 },
        { Kmod34OnDebian12, "-D", 2 },
    };

    /// <summary>Concrete device strings made from modules.alias's patterns (and some patterns), batched.</summary>
    [Theory]
    [MemberData(nameof(DeviceAliasModes))]
    public void DeviceAliasesMatchKmod(string setup, string mode, int every)
    {
        var aliases = ModuleTreeKeys.ConcreteAliases(Tree(setup).ModuleDirectory("plain")).Where((_, i) => i % every == 0).ToList();
        var differences = Comparison(setup).DifferencesInBatches(aliases, [.. BaseOptions(setup), .. mode.Split(' ')]);
        AssertNoDifferences(differences, aliases.Count, $"device aliases ({setup}, '{mode}')");
    }

    [Theory]
    [InlineData(Kmod30)]
    [InlineData(Kmod34)]
    public void DeviceAliasesAloneMatchKmod(string setup)
    {
        var aliases = ModuleTreeKeys.ConcreteAliases(Tree(setup).ModuleDirectory("plain")).Where((_, i) => i % 200 == 0).ToList();
        var cases = aliases.SelectMany(alias => new[] { "-D", "-R" }.Select(mode => new ModprobeCase([.. BaseOptions(setup), mode, alias]))).ToList();
        AssertNoDifferences(Comparison(setup).Differences(cases), cases.Count, $"device aliases alone ({setup}, -D, -R)");
    }

    private static readonly string[] FixtureModeList =
    [
        "-D", "-R", "-n -v", "-n -vv", "-n -vvv", "-D -i", "-D -b", "-D --first-time", "-n -v --first-time",
        "-n -v -i", "-n -v -b", "-n -q", "-n", "-R -q", "-r -n -v", "-r -n -v -i", "-r -n -v --first-time",
        "-r -n -v --remove-holders",
    ];

    public static TheoryData<string, string> FixtureModes()
    {
        var data = new TheoryData<string, string>();
        foreach (string setup in new[] { Kmod30, Kmod34 })
        {
            foreach (string mode in FixtureModeList)
            {
                data.Add(setup, mode);
            }
        }

        foreach (string mode in new[] { "-D", "-R", "-n -v", "-r -n -v" })
        {
            data.Add(Kmod34OnDebian12, mode);
        }

        return data;
    }

    /// <summary>Each name that reaches a directive of the fixture, all in one process (<c>-a</c>).</summary>
    [Theory]
    [MemberData(nameof(FixtureModes))]
    public void FixtureDirectivesMatchKmod(string setup, string mode)
    {
        var differences = Comparison(setup).DifferencesInBatches(FixtureNames, [.. BaseOptions(setup), .. mode.Split(' ')]);
        AssertNoDifferences(differences, FixtureNames.Length, $"fixture names ({setup}, '{mode}')");
    }

    public static TheoryData<string, string> FixtureAloneModes()
    {
        var data = new TheoryData<string, string>();
        foreach (string setup in new[] { Kmod30, Kmod34 })
        {
            foreach (string mode in new[] { "-D", "-R", "-n -v", "-r -n -v" })
            {
                data.Add(setup, mode);
            }
        }

        return data;
    }

    /// <summary>Each fixture name in a process of its own, without -a (so "fatal" messages end the run).</summary>
    [Theory]
    [MemberData(nameof(FixtureAloneModes))]
    public void FixtureDirectivesAloneMatchKmod(string setup, string mode)
    {
        var cases = FixtureNames.Select(name => new ModprobeCase([.. BaseOptions(setup), .. mode.Split(' '), name])).ToList();
        AssertNoDifferences(Comparison(setup).Differences(cases), cases.Count, $"fixture names alone ({setup}, '{mode}')");
    }

    /// <summary>
    /// Several names at once, module parameters on the command line, option order; module files given by
    /// path (kmod 30 looks them up as names, kmod 34.2 loads the file); a module directory too long for
    /// PATH_MAX (kmod 30 cuts it short, kmod 34.2 refuses it).
    /// </summary>
    [Theory]
    [InlineData(Kmod30)]
    [InlineData(Kmod34)]
    [InlineData(Kmod34OnDebian12)]
    public void ArgumentFormsMatchKmod(string setup)
    {
        var tree = Tree(setup);
        string ext4 = tree.ModuleFiles("plain").First(f => f.EndsWith("/ext4.ko", StringComparison.Ordinal));
        string[][] forms =
        [
            ["-D", "snd-hda-intel", "index=1", "enable=1"],
            ["-D", "my-sound", "model=x", "id=\"a b\""],
            ["-n", "-v", "dummy", "numdummies=4"],
            ["-n", "-v", "my-fake-service", "a=1", "b"],
            ["-n", "-v", "ums-karma", "x=1"],
            ["-D", "vfat", "utf8=1"],
            ["-D", "eth0", "x=1"],
            ["-D", "fat", "codepage=850"],
            ["-D", "--", "ext4", "-v"],
            ["ext4", "-D"],
            ["-a", "-D", "ext4", "nosuch", "vfat", "eth0", "net-pf-99"],
            ["-a", "-R", "fs-removable", "nosuch", "block-dev-7"],
            ["-a", "-n", "-v", "uas", "my-fake-service", "dummy", "tun"],
            ["-D", "nosuch", "vfat"],
            ["-R", "nosuch"],
            ["-D", "-q", "nosuch"],
            ["-R", "-D", "ext4"],
            ["-D", "-n", "-v", "-v", "-i", "-b", "uas"],
            ["-r", "-n", "-v", "uas", "dummy", "evdev", "my-fake-service", "nosuch"],
            ["-r", "-n", "-v", "-a", "vfat"],
            ["-r", "-D", "-n", "ext4"],
            ["-D", "--first-time", "overlay"],
            ["-n", "-v", "--first-time", "overlay"],
            ["-n", "-v", "overlay"],
            ["-D", "-f", "ext4"],
            ["-D", "--force-vermagic", "--force-modversion", "ext4"],
            ["-D", "-w", "100", "ext4"],
            ["-D", "--dry-run", "--show-depends", "--use-blacklist", "--ignore-install", "uas"],
            ["--show-depends", "--resolve-alias", "eth1"],
            ["--show", "-v", "ext4"],
            ["--show-depends", "--ignore-remove", "uas"],
            ["--set-version", tree.Release, "--show-depends", "ext4"],
            ["-S", "0.0.0-nosuch", "-D", "ext4"],
            ["-D", ext4],
            ["-n", "-v", ext4, "nosuch=1"],
            ["-R", ext4],
            ["-a", "-D", ext4, "vfat", ext4],
            ["-D", "/nonexistent/x.ko"],
            ["-D", ext4 + "/x.ko"],
            ["-D", "./nonexistent.ko"],
            ["-D", "../ext4.ko"],
            ["-r", "-n", "-v", ext4],
        ];
        var cases = forms.Select(form => new ModprobeCase([.. BaseOptions(setup), .. form])).ToList();
        cases.Add(new ModprobeCase(["-d", tree.Root("plain"), "-S", tree.Release, "-C", Fixture + "/10-aliases.conf", "-C", Fixture + "/50-softdep.conf", "-D", "joydev"]));
        cases.Add(new ModprobeCase(["-d", tree.Root("plain"), "-S", tree.Release, "-C", "/nonexistent/modprobe.d", "-D", "ext4"]));
        cases.Add(new ModprobeCase(["-d", tree.Root("plain") + "/", "-S", tree.Release, "--config=" + Fixture, "--show-depends", "my-sound"]));
        cases.Add(new ModprobeCase(["-d", "/nonexistent", "-S", tree.Release, "-C", Fixture, "-D", "ext4"]));
        string longRoot = string.Concat(Enumerable.Repeat("/nonexistent", 340));
        cases.Add(new ModprobeCase(["-d", longRoot, "-S", tree.Release, "-C", Fixture, "-D", "ext4"]));
        cases.Add(new ModprobeCase(["-d", longRoot[..4070], "-S", tree.Release, "-D", "ext4"]));
        cases.Add(new ModprobeCase(["-d", "/tmp", "-S", new string('v', 4090), "-c"]));

        // Debian 13's kmod 34.2 keeps /lib/modules (kmod's default module directory): a root that has the
        // modules only under /usr/lib/modules has none for either kmod.
        using var usrOnly = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(usrOnly.Path, "usr/lib/modules"));
        File.CreateSymbolicLink(Path.Combine(usrOnly.Path, "usr/lib/modules", tree.Release), tree.ModuleDirectory("plain"));
        cases.Add(new ModprobeCase(["-d", usrOnly.Path, "-S", tree.Release, "-C", Fixture, "-D", "ext4"]));
        cases.Add(new ModprobeCase(["-d", usrOnly.Path + "/usr", "-S", tree.Release, "-C", Fixture, "-D", "ext4"]));
        AssertNoDifferences(Comparison(setup).Differences(cases), cases.Count, $"argument forms ({setup})");
    }

    public static TheoryData<string, string, string> ShowConfigModes() => new()
    {
        { Kmod30, "plain", "-c" },
        { Kmod30, "plain", "--showconfig" },
        { Kmod30, "plain", "--show-config -q" },
        { Kmod30, "plain", "-c -v -v" },
        { Kmod30, "plain", "-c ext4 whatever" },
        { Kmod30, "plain", "-c -r -D" },
        { Kmod30, "plain", "-c -C /etc/modprobe.d -C /nonexistent -C /lib/modprobe.d" },
        { Kmod30, "xz", "-c" },
        { Kmod30, "zst", "-c" },
        { Kmod34, "plain", "-c" },
        { Kmod34, "plain", "--show-config -q" },
        { Kmod34, "plain", "-c -v -v" },
        { Kmod34, "plain", "-c -C /etc/modprobe.d -C /nonexistent -C /usr/lib/modprobe.d -C /lib/modprobe.d" },
        { Kmod34, "xz", "-c" },
        { Kmod34OnDebian12, "plain", "-c" },
    };

    /// <summary>-c: the configuration and the dump of modules.alias.bin and modules.symbols.bin.</summary>
    [Theory]
    [MemberData(nameof(ShowConfigModes))]
    public void ShowConfigMatchesKmod(string setup, string kind, string mode)
    {
        var c = new ModprobeCase([.. BaseOptions(setup, kind), .. mode.Split(' ')]);
        var comparison = Comparison(setup);
        Assert.True(comparison.RunKmod(c).Stdout.Length > 1_000_000, "kmod's -c dumps the indexes");
        AssertNoDifferences(comparison.Differences([c]), 1, $"-c ({setup}, {kind}, '{mode}')");
    }

    /// <summary>
    /// --show-modversions and --show-exports of module files; kmod 30 and 34.2 take only paths, so a module
    /// name is a file that is not there.
    /// </summary>
    [Theory]
    [InlineData(Kmod30)]
    [InlineData(Kmod34)]
    public void ShowSymbolsOfFilesMatchKmod(string setup)
    {
        var cases = new List<ModprobeCase>();
        foreach (string kind in Tree(setup).TreeKinds)
        {
            var files = Tree(setup).ModuleFiles(kind);
            foreach (string file in files.Where((_, i) => i % 400 == 0))
            {
                cases.Add(new ModprobeCase([.. BaseOptions(setup, kind), "--show-modversions", file]));
                cases.Add(new ModprobeCase([.. BaseOptions(setup, kind), "--show-exports", file]));
            }
        }

        cases.Add(new ModprobeCase([.. BaseOptions(setup), "--show-exports", "/nonexistent/x.ko"]));
        cases.Add(new ModprobeCase([.. BaseOptions(setup), "--dump-modversions", Fixture + "/10-aliases.conf"]));
        foreach (string name in new[] { "jbd2", "fs-ext4", "snd-hda-intel" })
        {
            cases.Add(new ModprobeCase([.. BaseOptions(setup), "--show-exports", name]));
            cases.Add(new ModprobeCase([.. BaseOptions(setup), "--show-modversions", "--", name]));
        }

        AssertNoDifferences(Comparison(setup).Differences(cases), cases.Count, $"--show-modversions/--show-exports ({setup})");
    }

    /// <summary>
    /// --show-modversions and --show-exports of compressed files kmod 30 and 34.2 read differently
    /// (<see cref="BrokenCompressedModules"/>): kmod 34.2 logs libkmod's decompression error before its FATAL line and
    /// cannot read zstd from a pipe; <c>-D</c> and <c>-n -v</c> of such a module, which read no file, print its line.
    /// </summary>
    [Theory]
    [InlineData(Kmod30)]
    [InlineData(Kmod34)]
    public void BrokenCompressedFilesMatchKmod(string setup)
    {
        using var temp = new TempDirectory();
        string directory = Path.Combine(temp.Path, "lib", "modules", "4.4.4");
        Directory.CreateDirectory(Path.Combine(directory, "kernel"));
        var names = BrokenCompressedModules.Write(Path.Combine(directory, "kernel"));
        var result = Oracle(setup).Run("depmod", ["-b", temp.Path, "4.4.4"]);
        Assert.Equal(0, result.ExitCode);

        string[] options = ["-d", temp.Path, "-S", "4.4.4", "-C", Fixture];
        var cases = new List<ModprobeCase>();
        foreach (string name in names)
        {
            string file = Path.Combine(directory, "kernel", name);
            cases.Add(new ModprobeCase([.. options, "--show-modversions", file]));
            cases.Add(new ModprobeCase([.. options, "--show-exports", file]));
            cases.Add(new ModprobeCase([.. options, "-q", "--show-exports", file]));
            cases.Add(new ModprobeCase([.. options, "-D", name[..name.IndexOf('.')]]));
            cases.Add(new ModprobeCase([.. options, "-n", "-v", name[..name.IndexOf('.')]]));
        }

        AssertNoDifferences(Comparison(setup).Differences(cases), cases.Count, $"broken compressed files ({setup})");
    }

    private static readonly (string Environment, string CommandLine)[] EnvironmentCaseList =
    [
        ("-v", "-n ext4"),
        ("-n -v", "uas"),
        ("  -n   -v  ", "dummy"),
        ("-q", "-D nosuch"),
        ("'-D'", "vfat"),
        ("\"-D\" \"-i\"", "uas"),
        ("-D -C /nonexistent", "ext4"),
        ("--show-depends", "my-sound"),
        ("-Dv", "tun"),
        ("-R -a", "eth0 nosuch fs-removable"),
        ("-x", "-D ext4"),
        ("-w", "-D ext4"),
        ("-w bad", "-D ext4"),
        ("ext4", "-D"),
        ("", "-D ext4"),
        ("'unterminated", "-D ext4"),
        ("\"-D ext4\"", "vfat"),
        ("-D\t-v", "ext4"),
        ("-c", ""),
    ];

    public static TheoryData<string, string, string> EnvironmentCases() => InSetups(EnvironmentCaseList, Kmod30, Kmod34);

    /// <summary>MODPROBE_OPTIONS: split into words and put before the command line's arguments.</summary>
    [Theory]
    [MemberData(nameof(EnvironmentCases))]
    public void ModprobeOptionsFromEnvironmentMatchKmod(string setup, string environment, string commandLine)
    {
        var args = BaseOptions(setup).Concat(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var c = new ModprobeCase(args, new Dictionary<string, string> { ["MODPROBE_OPTIONS"] = environment });
        var differences = Comparison(setup).Differences([c]);
        AssertNoDifferences(differences, 1, $"MODPROBE_OPTIONS='{environment}' ({setup})");
    }

    /// <summary>
    /// Help, version, missing arguments, unknown options and bad values: getopt's and modprobe's texts
    /// (--show-alias and the candidates of an ambiguous --sh: neither kmod has --show-alias).
    /// </summary>
    [Theory]
    [InlineData(Kmod30)]
    [InlineData(Kmod34)]
    public void UsageAndOptionErrorsMatchKmod(string setup)
    {
        string[][] forms =
        [
            ["-h"], ["--help"], [], ["-v"], ["-D"], ["-a"], ["-r"], ["-r", "-n"], ["-x"],
            ["--bogus"], ["-C"], ["--config"], ["-d"], ["-S"], ["-w"], ["-w", "bad", "-D", "ext4"],
            ["-w", "10x", "-D", "ext4"], ["-w", "", "-D", "ext4"], ["-w", "-1", "-D", "ext4"], ["-w", "0x10", "-D", "ext4"],
            ["--wait=017", "-D", "ext4"], ["--wait", "99999999999999999999", "-D", "ext4"],
            ["--show-d", "ext4"], ["--show-depends=x", "ext4"], ["--dry", "-v", "ext4"], ["-hV"],
            ["-D", "-h", "ext4"], ["-DR"], ["-q"], ["-q", "-x"],
            ["--remove-dependencies", "-n", "-v", "ext4"], ["-C", "-D", "ext4"],
            ["--show-alias", "ext4"], ["--show-al", "ext4"], ["--sh", "ext4"], ["--show-", "ext4"],
        ];
        var cases = forms.Select(form => new ModprobeCase([.. form])).ToList();
        cases.AddRange(forms.Select(form => new ModprobeCase([.. BaseOptions(setup), .. form])));
        var differences = Comparison(setup).Differences(cases);
        AssertNoDifferences(differences, cases.Count, $"usage and option errors ({setup})");
    }

    /// <summary>
    /// ModKit's documented difference on the command line, as kmod's output changed by exactly it: -V's
    /// feature list says +ZLIB (ModKit reads .ko.gz).
    /// </summary>
    [Theory]
    [InlineData(Kmod30, "-V")]
    [InlineData(Kmod30, "--version")]
    [InlineData(Kmod30, "-Vh")]
    [InlineData(Kmod30, "ext4 --version")]
    [InlineData(Kmod34, "-V")]
    [InlineData(Kmod34, "ext4 --version")]
    public void DocumentedDifferencesAreTheOnlyOnes(string setup, string args)
    {
        var c = new ModprobeCase([.. BaseOptions(setup), .. args.Split(' ')]);
        var comparison = Comparison(setup);
        var kmod = comparison.RunKmod(c);
        var expected = kmod with
        {
            Stdout = System.Text.Encoding.UTF8.GetBytes(kmod.StdoutText.Replace(" -ZLIB ", " +ZLIB ", StringComparison.Ordinal)),
        };
        var actual = comparison.RunModKit(c);
        Assert.True(actual.SameAs(expected), actual.DescribeDifference(expected));
    }

    /// <summary>
    /// With standard error closed both kmods log to syslog instead (Debian 12's kmod 30 snapshot has the fallback too); either way
    /// the output and exit status stay the same, and ModKit neither fails nor aborts.
    /// </summary>
    [Theory]
    [InlineData(Kmod30, "nosuch")]
    [InlineData(Kmod30, "-D ext4")]
    [InlineData(Kmod30, "-x")]
    [InlineData(Kmod34, "nosuch")]
    [InlineData(Kmod34, "-D ext4")]
    [InlineData(Kmod34, "-x")]
    public void ClosedStandardErrorMatchesKmod(string setup, string commandLine)
    {
        string[] args = [.. BaseOptions(setup), .. commandLine.Split(' ')];
        var kmod = ProcessRunner.Run("/bin/bash", ["-c", "exec 2>&-; " + Oracle(setup).BashCommand("modprobe"), "bash", .. args]);
        var modkit = ProcessRunner.Run("/bin/bash", ["-c", $"exec 2>&-; exec -a modprobe {BuiltBinary.Path} \"$@\"", "bash", .. args],
            environment: Oracle(setup).ModKitEnvironment);
        Assert.Equal((kmod.ExitCode, kmod.StdoutText, ""), (modkit.ExitCode, modkit.StdoutText, modkit.StderrText));
    }

    private static readonly (string Environment, string CommandLine)[] CommandRunList =
    [
        ("", "my-fake-service"),
        ("", "my-fake-service a=1 b"),
        ("", "-v my-fake-service x=\"1 2\""),
        ("", "--first-time my-fake-service"),
        ("", "fail-service"),
        ("", "-v fail-service"),
        ("", "-q fail-service"),
        ("", "-a fail-service my-fake-service env-report"),
        ("", "env-report"),
        ("-s -q", "env-report"),
        ("-v", "-q -v env-report"),
        ("", "-r my-fake-service"),
        ("", "-r fail-service"),
        ("", "-r -v my-fake-service fail-service"),
        ("", "-r -q fail-service"),
    ];

    public static TheoryData<string, string, string> CommandRuns() => InSetups(CommandRunList, Kmod30, Kmod34);

    /// <summary>
    /// install and remove commands of names that are no module (lookup step 4) really run, through
    /// /bin/sh, with $CMDLINE_OPTS, MODPROBE_MODULE and the MODPROBE_OPTIONS children inherit; nothing
    /// reaches the kernel.
    /// </summary>
    [Theory]
    [MemberData(nameof(CommandRuns))]
    public void CommandsOfNamesThatAreNoModulesMatchKmod(string setup, string environment, string commandLine)
    {
        var args = BaseOptions(setup).Concat(commandLine.Split(' ')).ToList();
        var c = new ModprobeCase(args, environment.Length == 0 ? null : new Dictionary<string, string> { ["MODPROBE_OPTIONS"] = environment });
        AssertNoDifferences(Comparison(setup).Differences([c]), 1, $"{c} ({setup})");
    }

    private static TheoryData<string, string, string> InSetups((string, string)[] rows, params string[] setups)
    {
        var data = new TheoryData<string, string, string>();
        foreach (string setup in setups)
        {
            foreach (var (first, second) in rows)
            {
                data.Add(setup, first, second);
            }
        }

        return data;
    }
}
