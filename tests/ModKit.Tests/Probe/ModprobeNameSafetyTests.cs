using ModKit.Kernel;
using ModKit.Tests.Index;
using ModKit.Tests.Support;

namespace ModKit.Tests.Probe;

/// <summary>
/// Issue #5 point 6: a module name is only a lookup key. Names with "/" or ".." that do not start with
/// "/" or "./", and anything after "--" (the kernel runs <c>modprobe -q -- NAME</c> with names users can
/// influence), never load a file from outside the module directory. Each case has a module file planted
/// where the name would lead if it were taken as a path. Paths load only in the kmod 34.2 profile (kmod 31+);
/// kmod 30 takes every argument as a lookup key.
/// </summary>
public sealed class ModprobeNameSafetyTests : IDisposable
{
    private const string Release = "0.0.0-fake";
    private readonly TempDirectory _temp = new();
    private readonly FakeKernel _kernel;
    private readonly string _root;
    private readonly string _moduleDirectory;
    private readonly string _config;

    public ModprobeNameSafetyTests()
    {
        _kernel = new FakeKernel(Path.Combine(_temp.Path, "kernel"), Release);
        _root = Path.Combine(_temp.Path, "root");
        _moduleDirectory = Path.Combine(_root, "lib/modules", Release);
        Directory.CreateDirectory(Path.Combine(_moduleDirectory, "kernel"));
        TestModules.Write(Path.Combine(_moduleDirectory, "kernel"), "good.ko", "good");
        File.WriteAllBytes(Path.Combine(_moduleDirectory, "modules.dep.bin"), new TestIndexBuilder().Add("good", "kernel/good.ko:").Build(preOrder: false));
        File.WriteAllBytes(Path.Combine(_moduleDirectory, "modules.alias.bin"), new TestIndexBuilder().Add("good-alias", "good").Build(preOrder: false));

        // Evil modules wherever a path-like name could reach: the working directory, the temp root,
        // the fake root and next to the module directory.
        foreach (string directory in new[] { _temp.Path, _root, Path.Combine(_root, "lib/modules"), Path.Combine(_temp.Path, "tmp") })
        {
            Directory.CreateDirectory(directory);
            TestModules.Write(directory, "evil.ko", "evil");
        }

        _config = Path.Combine(_temp.Path, "modprobe.d");
        Directory.CreateDirectory(_config);
        File.WriteAllText(Path.Combine(_config, "safety.conf"), "alias evil-* good\n");
    }

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> PathLikeNames => new()
    {
        "../evil",
        "../evil.ko",
        "../../evil.ko",
        "../../../evil.ko",
        "../../../../tmp/evil.ko",
        "kernel/../../evil.ko",
        "good/../../../evil",
        "tmp/evil.ko",
        "evil.ko",
        "evil",
        "..",
        ".",
        "~/evil.ko",
        "./../evil.ko/..",
    };

    [Theory]
    [MemberData(nameof(PathLikeNames))]
    public void RelativePathLikeNamesAreLookupKeys(string name)
    {
        foreach (var mode in new[] { new[] { "-q", "--" }, [], ["-a"], ["-r"] })
        {
            var result = Modprobe([.. mode, name], KmodProfile.Kmod34);
            Assert.True(result.ExitCode != 0 || !name.StartsWith("./", StringComparison.Ordinal) || mode.Contains("--"), "a ./ path loads only outside --");
            Assert.DoesNotContain(_kernel.Calls, c => c.Name == "evil");
            result = Modprobe([.. mode, name], KmodProfile.Kmod30);
            Assert.NotEqual(0, result.ExitCode);
            Assert.DoesNotContain(_kernel.Calls, c => c.Name == "evil");
        }

        // The same plan as kmod 30, which takes every argument as a lookup key, and as kmod 34.2, which takes
        // "./" names as files (there the planted file is only printed, -D loads nothing).
        foreach (var oracle in new[] { KmodOracle.Kmod30, KmodOracle.Kmod34 })
        {
            var kmod = oracle.Run("modprobe", ["-d", _root, "-S", Release, "-C", _config, "-D", name], _temp.Path);
            var ours = Modprobe(["-D", name], oracle.Profile);
            Assert.Equal((kmod.ExitCode, kmod.StdoutText, kmod.StderrText), (ours.ExitCode, ours.StdoutText, ours.StderrText));
        }
    }

    [Theory]
    [InlineData("/evil.ko")]
    [InlineData("./evil.ko")]
    [InlineData("./tmp/evil.ko")]
    public void AfterDoubleDashEvenAbsoluteAndDotSlashNamesAreLookupKeys(string suffix)
    {
        string name = suffix.StartsWith('/') ? Path.Combine(_temp.Path, "tmp") + suffix : suffix;
        Assert.True(File.Exists(Path.Combine(_temp.Path, name)), name);

        var kernelStyle = Modprobe(["-q", "--", name]);
        Assert.Equal((1, "", ""), (kernelStyle.ExitCode, kernelStyle.StdoutText, kernelStyle.StderrText));
        var verbose = Modprobe(["-v", "--", name]);
        Assert.Equal($"modprobe: FATAL: Module {name} not found in directory {_moduleDirectory}\n", verbose.StderrText);
        Assert.Empty(_kernel.Calls);

        // kmod 30 takes no paths at all.
        var kmod30 = Modprobe([name], KmodProfile.Kmod30);
        Assert.Equal($"modprobe: FATAL: Module {name} not found in directory {_moduleDirectory}\n", kmod30.StderrText);
        Assert.Empty(_kernel.Calls);

        // The control: without "--" the same argument is a path (kmod 31+) and the planted file loads,
        // so the assertions above can fail.
        Assert.Equal(0, Modprobe([name]).ExitCode);
        Assert.Equal("evil", Assert.Single(_kernel.Calls).Name);
    }

    [Fact]
    public void ConfigAliasMatchingAPathLikeNameStillResolvesInsideTheDirectory()
    {
        var result = Modprobe(["-q", "--", "evil-../../evil.ko"]);
        Assert.Equal(0, result.ExitCode);
        var call = Assert.Single(_kernel.Calls);
        Assert.Equal("good", call.Name);
    }

    [Fact]
    public void APathThatCannotBeReachedReportsStatsError()
    {
        // kmod passes on stat's errno (kmod_module_new_from_path): a path through a regular file is
        // "Not a directory", a missing one "No such file or directory".
        string file = Path.Combine(_root, "evil.ko");
        var result = Modprobe([file + "/x.ko"]);
        Assert.Equal((1, "", $"modprobe: FATAL: Failed to get module from path {file}/x.ko: Not a directory\n"),
            (result.ExitCode, result.StdoutText, result.StderrText));
        result = Modprobe([_root + "/missing.ko"]);
        Assert.Equal((1, "", $"modprobe: FATAL: Failed to get module from path {_root}/missing.ko: No such file or directory\n"),
            (result.ExitCode, result.StdoutText, result.StderrText));
        Assert.Empty(_kernel.Calls);
    }

    [Fact]
    public void ShowModversionsReadsTheFileItIsGivenAsKmodDoes()
    {
        // A query, not a load: kmod 30 and 34.2 read the file named, relative to the working directory,
        // "--" or not (only later kmods look names up).
        foreach (var oracle in new[] { KmodOracle.Kmod30, KmodOracle.Kmod34 })
        {
            foreach (string name in new[] { "evil.ko", "good", "../evil.ko" })
            {
                var ours = Modprobe(["--show-modversions", "--", name], oracle.Profile);
                var kmod = oracle.Run("modprobe", ["-d", _root, "-S", Release, "-C", _config, "--show-modversions", "--", name], _temp.Path);
                Assert.Equal((kmod.ExitCode, kmod.StdoutText, kmod.StderrText), (ours.ExitCode, ours.StdoutText, ours.StderrText));
            }
        }
    }

    // The kmod 34.2 profile unless a test asks for another: paths load only there.
    private ProcessResult Modprobe(string[] args, KmodProfile? profile = null) =>
        InProcessTool.Run("modprobe", ["-d", _root, "-S", Release, "-C", _config, .. args], currentDirectory: _temp.Path, kernel: _kernel,
            profile: profile ?? KmodProfile.Kmod34);
}
