using ModKit.Tests.Support;
using Xunit.Abstractions;

namespace ModKit.Tests.Modprobe;

/// <summary>
/// modprobe against kmod 30's modprobe on Debian 12's kernel tree with the modprobe.d files of
/// TestData/modprobe.d (every directive, against real module names; passed with -C to both tools):
/// -D, -R and -n -v plans for every module name and for concrete device aliases built from
/// modules.alias, each fixture directive, -c, -i, -b, --first-time, the three compression forms,
/// MODPROBE_OPTIONS and the command line's errors. Byte for byte on stdout and stderr, plus the exit
/// status. Nothing here loads or removes a module: every run has -D, -R, -n or -c (or fails in option
/// parsing), and both tools see the same /sys/module.
/// </summary>
public sealed class ModprobeDifferentialTests(ITestOutputHelper output)
{
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
    ];

    private static KernelTree Tree => KernelTree.Instance;

    private static List<string> BaseOptions(string kind = "plain") => ["-d", Tree.Root(kind), "-S", Tree.Release, "-C", Fixture];

    private void AssertNoDifferences<T>(List<T> differences, int cases, string what)
    {
        output.WriteLine($"{cases} {what}: {differences.Count} differences");
        foreach (var d in differences.Take(30))
        {
            output.WriteLine($"  differs: {d}");
        }

        Assert.Empty(differences);
    }

    public static TheoryData<string, string> EveryModuleNameModes() => new()
    {
        { "plain", "-D" },
        { "plain", "-R" },
        { "plain", "-n -v" },
        { "plain", "-n -vv" },
        { "plain", "-n -q" },
        { "plain", "-D -i" },
        { "plain", "-D -b" },
        { "plain", "-D --first-time" },
        { "plain", "-n -v -i -b --first-time" },
        { "xz", "-D" },
        { "xz", "-n -v" },
        { "zst", "-D" },
        { "zst", "-n -v" },
    };

    /// <summary>Every module of modules.dep, many names a process (<c>-a</c>).</summary>
    [Theory]
    [MemberData(nameof(EveryModuleNameModes))]
    public void EveryModuleNameMatchesKmod(string kind, string mode)
    {
        var names = ModuleTreeKeys.ModuleNames(Tree.ModuleDirectory(kind));
        Assert.True(names.Count > 3000, $"expected the whole tree, found {names.Count} modules");
        var differences = new ModprobeComparison(output).DifferencesInBatches(names, [.. BaseOptions(kind), .. mode.Split(' ')]);
        AssertNoDifferences(differences, names.Count, $"module names ({kind}, '{mode}')");
    }

    public static TheoryData<string, int> ModuleNameAloneModes() => new()
    {
        { "-D", 20 },
        { "-n -v", 50 },
        { "-R", 50 },
    };

    /// <summary>A sample of module names one process each, without -a (so "fatal" messages are fatal).</summary>
    [Theory]
    [MemberData(nameof(ModuleNameAloneModes))]
    public void ModuleNamesAloneMatchKmod(string mode, int every)
    {
        var names = ModuleTreeKeys.ModuleNames(Tree.ModuleDirectory("plain")).Where((_, i) => i % every == 0).ToList();
        var cases = names.Select(name => new ModprobeCase([.. BaseOptions(), .. mode.Split(' '), name])).ToList();
        AssertNoDifferences(new ModprobeComparison(output).Differences(cases), cases.Count, $"module names alone ('{mode}')");
    }

    public static TheoryData<string, int> DeviceAliasModes() => new()
    {
        { "-D", 1 },
        { "-R", 1 },
        { "-n -v", 5 },
    };

    /// <summary>Concrete device strings made from modules.alias's patterns (and some patterns), batched.</summary>
    [Theory]
    [MemberData(nameof(DeviceAliasModes))]
    public void DeviceAliasesMatchKmod(string mode, int every)
    {
        var aliases = ModuleTreeKeys.ConcreteAliases(Tree.ModuleDirectory("plain")).Where((_, i) => i % every == 0).ToList();
        var differences = new ModprobeComparison(output).DifferencesInBatches(aliases, [.. BaseOptions(), .. mode.Split(' ')]);
        AssertNoDifferences(differences, aliases.Count, $"device aliases ('{mode}')");
    }

    [Fact]
    public void DeviceAliasesAloneMatchKmod()
    {
        var aliases = ModuleTreeKeys.ConcreteAliases(Tree.ModuleDirectory("plain")).Where((_, i) => i % 200 == 0).ToList();
        var cases = aliases.SelectMany(alias => new[] { "-D", "-R" }.Select(mode => new ModprobeCase([.. BaseOptions(), mode, alias]))).ToList();
        AssertNoDifferences(new ModprobeComparison(output).Differences(cases), cases.Count, "device aliases alone (-D, -R)");
    }

    public static TheoryData<string> FixtureModes() =>
    [
        "-D", "-R", "-n -v", "-n -vv", "-n -vvv", "-D -i", "-D -b", "-D --first-time", "-n -v --first-time",
        "-n -v -i", "-n -v -b", "-n -q", "-n", "-R -q", "-r -n -v", "-r -n -v -i", "-r -n -v --first-time",
        "-r -n -v --remove-holders",
    ];

    /// <summary>Each name that reaches a directive of the fixture, all in one process (<c>-a</c>).</summary>
    [Theory]
    [MemberData(nameof(FixtureModes))]
    public void FixtureDirectivesMatchKmod(string mode)
    {
        var differences = new ModprobeComparison(output).DifferencesInBatches(FixtureNames, [.. BaseOptions(), .. mode.Split(' ')]);
        AssertNoDifferences(differences, FixtureNames.Length, $"fixture names ('{mode}')");
    }

    public static TheoryData<string> FixtureAloneModes() => ["-D", "-R", "-n -v", "-r -n -v"];

    /// <summary>Each fixture name in a process of its own, without -a (so "fatal" messages end the run).</summary>
    [Theory]
    [MemberData(nameof(FixtureAloneModes))]
    public void FixtureDirectivesAloneMatchKmod(string mode)
    {
        var cases = FixtureNames.Select(name => new ModprobeCase([.. BaseOptions(), .. mode.Split(' '), name])).ToList();
        AssertNoDifferences(new ModprobeComparison(output).Differences(cases), cases.Count, $"fixture names alone ('{mode}')");
    }

    /// <summary>Several names at once, module parameters on the command line, option order.</summary>
    [Fact]
    public void ArgumentFormsMatchKmod()
    {
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
            ["--set-version", Tree.Release, "--show-depends", "ext4"],
            ["-S", "0.0.0-nosuch", "-D", "ext4"],
        ];
        var cases = forms.Select(form => new ModprobeCase([.. BaseOptions(), .. form])).ToList();
        cases.Add(new ModprobeCase(["-d", Tree.Root("plain"), "-S", Tree.Release, "-C", Fixture + "/10-aliases.conf", "-C", Fixture + "/50-softdep.conf", "-D", "joydev"]));
        cases.Add(new ModprobeCase(["-d", Tree.Root("plain"), "-S", Tree.Release, "-C", "/nonexistent/modprobe.d", "-D", "ext4"]));
        cases.Add(new ModprobeCase(["-d", Tree.Root("plain") + "/", "-S", Tree.Release, "--config=" + Fixture, "--show-depends", "my-sound"]));
        cases.Add(new ModprobeCase(["-d", "/nonexistent", "-S", Tree.Release, "-C", Fixture, "-D", "ext4"]));
        AssertNoDifferences(new ModprobeComparison(output).Differences(cases), cases.Count, "argument forms");
    }

    public static TheoryData<string, string> ShowConfigModes() => new()
    {
        { "plain", "-c" },
        { "plain", "--showconfig" },
        { "plain", "--show-config -q" },
        { "plain", "-c -v -v" },
        { "plain", "-c ext4 whatever" },
        { "plain", "-c -r -D" },
        { "plain", "-c -C /etc/modprobe.d -C /nonexistent -C /lib/modprobe.d" },
        { "xz", "-c" },
        { "zst", "-c" },
    };

    /// <summary>-c: the configuration and the dump of modules.alias.bin and modules.symbols.bin.</summary>
    [Theory]
    [MemberData(nameof(ShowConfigModes))]
    public void ShowConfigMatchesKmod(string kind, string mode)
    {
        var c = new ModprobeCase([.. BaseOptions(kind), .. mode.Split(' ')]);
        var comparison = new ModprobeComparison(output);
        Assert.True(comparison.RunKmod(c).Stdout.Length > 1_000_000, "kmod's -c dumps the indexes");
        AssertNoDifferences(comparison.Differences([c]), 1, $"-c ({kind}, '{mode}')");
    }

    /// <summary>--show-modversions and --show-exports of module files (kmod 30 takes only paths).</summary>
    [Fact]
    public void ShowSymbolsOfFilesMatchKmod()
    {
        var cases = new List<ModprobeCase>();
        foreach (string kind in KernelTree.Kinds)
        {
            var files = Tree.ModuleFiles(kind);
            foreach (string file in files.Where((_, i) => i % 400 == 0))
            {
                cases.Add(new ModprobeCase([.. BaseOptions(kind), "--show-modversions", file]));
                cases.Add(new ModprobeCase([.. BaseOptions(kind), "--show-exports", file]));
            }
        }

        cases.Add(new ModprobeCase([.. BaseOptions(), "--show-exports", "/nonexistent/x.ko"]));
        cases.Add(new ModprobeCase([.. BaseOptions(), "--dump-modversions", Fixture + "/10-aliases.conf"]));
        AssertNoDifferences(new ModprobeComparison(output).Differences(cases), cases.Count, "--show-modversions/--show-exports");
    }

    public static TheoryData<string, string> EnvironmentCases() => new()
    {
        { "-v", "-n ext4" },
        { "-n -v", "uas" },
        { "  -n   -v  ", "dummy" },
        { "-q", "-D nosuch" },
        { "'-D'", "vfat" },
        { "\"-D\" \"-i\"", "uas" },
        { "-D -C /nonexistent", "ext4" },
        { "--show-depends", "my-sound" },
        { "-Dv", "tun" },
        { "-R -a", "eth0 nosuch fs-removable" },
        { "-x", "-D ext4" },
        { "-w", "-D ext4" },
        { "-w bad", "-D ext4" },
        { "ext4", "-D" },
        { "", "-D ext4" },
        { "'unterminated", "-D ext4" },
        { "\"-D ext4\"", "vfat" },
        { "-D\t-v", "ext4" },
        { "-c", "" },
    };

    /// <summary>MODPROBE_OPTIONS: split into words and put before the command line's arguments.</summary>
    [Theory]
    [MemberData(nameof(EnvironmentCases))]
    public void ModprobeOptionsFromEnvironmentMatchKmod(string environment, string commandLine)
    {
        var args = BaseOptions().Concat(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var c = new ModprobeCase(args, new Dictionary<string, string> { ["MODPROBE_OPTIONS"] = environment });
        var differences = new ModprobeComparison(output).Differences([c]);
        AssertNoDifferences(differences, 1, $"MODPROBE_OPTIONS='{environment}'");
    }

    /// <summary>Help, version, missing arguments, unknown options and bad values: getopt's and modprobe's texts.</summary>
    [Fact]
    public void UsageAndOptionErrorsMatchKmod()
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
        ];
        var cases = forms.Select(form => new ModprobeCase([.. form])).ToList();
        cases.AddRange(forms.Select(form => new ModprobeCase([.. BaseOptions(), .. form])));
        var differences = new ModprobeComparison(output).Differences(cases);
        AssertNoDifferences(differences, cases.Count, "usage and option errors");
    }

    /// <summary>
    /// ModKit's documented differences, as kmod's output changed by exactly them: -V's feature list says
    /// +ZLIB (ModKit reads .ko.gz), and --show-alias (kmod 31+'s spelling of -R) joins the candidates of an
    /// ambiguous --sh.
    /// </summary>
    [Theory]
    [InlineData("-V")]
    [InlineData("--version")]
    [InlineData("-Vh")]
    [InlineData("ext4 --version")]
    [InlineData("--sh ext4")]
    [InlineData("--show-al ext4")]
    public void DocumentedDifferencesAreTheOnlyOnes(string args)
    {
        var c = new ModprobeCase([.. BaseOptions(), .. args.Split(' ')]);
        var comparison = new ModprobeComparison(output);
        var kmod = comparison.RunKmod(c);
        var expected = kmod with
        {
            Stdout = System.Text.Encoding.UTF8.GetBytes(kmod.StdoutText.Replace(" -ZLIB ", " +ZLIB ", StringComparison.Ordinal)),
            Stderr = System.Text.Encoding.UTF8.GetBytes(kmod.StderrText.Replace("possibilities: '--show-depends'", "possibilities: '--show-alias' '--show-depends'", StringComparison.Ordinal)),
        };
        var actual = comparison.RunModKit(c);
        if (args.StartsWith("--show-al", StringComparison.Ordinal))
        {
            // kmod 30 does not know the option; ModKit takes it as -R.
            Assert.Equal(1, kmod.ExitCode);
            Assert.Equal((0, "ext4\n"), (actual.ExitCode, actual.StdoutText));
            return;
        }

        Assert.True(actual.SameAs(expected), actual.DescribeDifference(expected));
    }

    /// <summary>
    /// ModKit's --show-modversions/--show-exports also take a module name (kmod 31+): what they print for
    /// a name is what kmod 30 prints for the module's file.
    /// </summary>
    [Theory]
    [InlineData("--show-exports", "jbd2")]
    [InlineData("--show-exports", "crc16")]
    [InlineData("--show-exports", "ext4")]
    [InlineData("--show-modversions", "snd-hda-intel")]
    [InlineData("--show-modversions", "fs-ext4")]
    public void ShowSymbolsOfANameIsThatOfItsFile(string option, string name)
    {
        var lookup = new ModprobeComparison(output).RunKmod(new ModprobeCase([.. BaseOptions(), "-R", name]));
        string module = lookup.StdoutText.Trim();
        string file = Tree.ModuleFiles("plain").Single(f => Path.GetFileName(f).Replace('-', '_') == module + ".ko");
        var kmod = new ModprobeComparison(output).RunKmod(new ModprobeCase([.. BaseOptions(), option, file]));
        var modkit = new ModprobeComparison(output).RunModKit(new ModprobeCase([.. BaseOptions(), option, name]));
        Assert.Equal((kmod.ExitCode, kmod.StdoutText), (modkit.ExitCode, modkit.StdoutText));
    }

    public static TheoryData<string, string> CommandRuns() => new()
    {
        { "", "my-fake-service" },
        { "", "my-fake-service a=1 b" },
        { "", "-v my-fake-service x=\"1 2\"" },
        { "", "--first-time my-fake-service" },
        { "", "fail-service" },
        { "", "-v fail-service" },
        { "", "-q fail-service" },
        { "", "-a fail-service my-fake-service env-report" },
        { "", "env-report" },
        { "-s -q", "env-report" },
        { "-v", "-q -v env-report" },
        { "", "-r my-fake-service" },
        { "", "-r fail-service" },
        { "", "-r -v my-fake-service fail-service" },
        { "", "-r -q fail-service" },
    };

    /// <summary>
    /// install and remove commands of names that are no module (lookup step 4) really run, through
    /// /bin/sh, with $CMDLINE_OPTS, MODPROBE_MODULE and the MODPROBE_OPTIONS children inherit; nothing
    /// reaches the kernel.
    /// </summary>
    [Theory]
    [MemberData(nameof(CommandRuns))]
    public void CommandsOfNamesThatAreNoModulesMatchKmod(string environment, string commandLine)
    {
        var args = BaseOptions().Concat(commandLine.Split(' ')).ToList();
        var c = new ModprobeCase(args, environment.Length == 0 ? null : new Dictionary<string, string> { ["MODPROBE_OPTIONS"] = environment });
        AssertNoDifferences(new ModprobeComparison(output).Differences([c]), 1, c.ToString());
    }
}
