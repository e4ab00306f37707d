using ModKit.Kernel;
using ModKit.Tests.Support;

namespace ModKit.Tests.Tools;

/// <summary>rmmod against a fake kernel (messages from kmod's tools/rmmod.c), and against kmod 30 and 34.2 where this host allows.</summary>
public sealed class RmmodToolTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly FakeKernel _kernel;

    public RmmodToolTests() => _kernel = new FakeKernel(Path.Combine(_root.Path, "kernel"));

    public void Dispose() => _root.Dispose();

    private ProcessResult Rmmod(params string[] args) => InProcessTool.Run("rmmod", args, currentDirectory: _root.Path, kernel: _kernel);

    private ProcessResult Rmmod(KmodProfile profile, params string[] args) =>
        InProcessTool.Run("rmmod", args, currentDirectory: _root.Path, kernel: _kernel, profile: profile);

    [Fact]
    public void RemovesByNameWithoutWaiting()
    {
        _kernel.AddLoadedModule("hello");
        var result = Rmmod("hello");
        Assert.Equal((0, "", ""), (result.ExitCode, result.StdoutText, result.StderrText));
        Assert.Equal((int)ModuleUnloadFlags.NonBlocking, Assert.Single(_kernel.Calls).Flags);
        Assert.False(_kernel.ReadInitState("hello").Succeeded);
    }

    [Fact]
    public void RemovesByPathAndNormalisesNames()
    {
        _kernel.AddLoadedModule("snd_hda_intel");
        _kernel.AddLoadedModule("hello");
        File.WriteAllText(Path.Combine(_root.Path, "hello.ko.xz"), "whatever");
        Assert.Equal(0, Rmmod("./hello.ko.xz", "snd-hda-intel").ExitCode);
        Assert.Equal(["hello", "snd_hda_intel"], _kernel.Calls.Select(c => c.Name));
    }

    [Fact]
    public void InUseChecksInKmodsOrder()
    {
        _kernel.AddLoadedModule("jbd2", holders: ["ext4", "ocfs2"]);
        _kernel.AddLoadedModule("busy", refCount: 1);
        _kernel.AddLoadedModule("nounload");
        File.Delete(Path.Combine(_kernel.Root, "sys/module/nounload/refcnt"));

        var result = Rmmod("jbd2", "busy", "absent", "nounload");

        var holders = string.Join(' ', _kernel.ReadHolders("jbd2").Value);
        Assert.Equal(
            $"rmmod: ERROR: Module jbd2 is in use by: {holders}\n" +
            "rmmod: ERROR: Module busy is in use\n" +
            "rmmod: ERROR: Module absent is not currently loaded\n" +
            "rmmod: ERROR: Module unloading is not supported\n",
            result.StderrText);
        Assert.Equal(1, result.ExitCode);
        Assert.Empty(_kernel.Calls);
    }

    [Fact]
    public void Kmod34LogsTheHoldersInOneMessage()
    {
        _kernel.AddLoadedModule("jbd2", holders: ["ext4", "ocfs2"]);
        var result = Rmmod(KmodProfile.Kmod34, "jbd2");
        string holders = string.Join(' ', _kernel.ReadHolders("jbd2").Value);
        Assert.Equal($"rmmod: ERROR: Module jbd2 is in use by: {holders}\n", result.StderrText);
        Assert.Equal(1, result.ExitCode);
    }

    [Theory]
    [InlineData("30", "rmmod: ERROR: Module x is in use by: y\n")]
    [InlineData("34", "")]
    public void SyslogTakesTheHolderLines(string release, string stderr)
    {
        _kernel.AddLoadedModule("x", holders: ["y"]);
        var sent = new List<(int, string)>();
        var result = InProcessTool.Run("rmmod", ["-s", "x"], currentDirectory: _root.Path, kernel: _kernel, profile: KmodProfile.FromName(release),
            syslog: _ => (priority, message) => sent.Add((priority, message)));
        Assert.Equal(stderr.Replace("rmmod: ERROR: Module x is in use by:", "", StringComparison.Ordinal), result.StderrText);
        Assert.Single(sent);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("34")]
    public void EmptyNameIsAModuleName(string release)
    {
        // "" and "." name the module "" in kmod (only a path ending in '/' names none).
        var result = Rmmod(KmodProfile.FromName(release)!, "", ".");
        Assert.Equal(
            "rmmod: ERROR: Module  is not currently loaded\n" +
            "rmmod: ERROR: Module  is not currently loaded\n",
            result.StderrText);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public void BuiltinModulesAreRefusedByNameOnly()
    {
        // modules.builtin.bin under <root>/lib/modules/<the kernel's release> makes "unix" builtin.
        string root = Path.Combine(_root.Path, "fs");
        string directory = Path.Combine(root, "lib/modules", _kernel.Release);
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "modules.builtin.bin"), new ModKit.Tests.Index.TestIndexBuilder().Add("unix", "").Build(preOrder: false));
        File.WriteAllText(Path.Combine(_root.Path, "unix.ko"), "x");

        var byName = InProcessTool.Run("rmmod", ["unix"], currentDirectory: _root.Path, root: root, kernel: _kernel);
        var byPath = InProcessTool.Run("rmmod", ["unix.ko"], currentDirectory: _root.Path, root: root, kernel: _kernel);

        Assert.Equal((1, "rmmod: ERROR: Module unix is builtin.\n"), (byName.ExitCode, byName.StderrText));
        Assert.Equal((1, "rmmod: ERROR: Module unix is not currently loaded\n"), (byPath.ExitCode, byPath.StderrText));
    }

    [Fact]
    public void ForceSkipsTheChecksAndPassesOTrunc()
    {
        _kernel.AddLoadedModule("busy", refCount: 1);
        Assert.Equal(0, Rmmod("-f", "busy").ExitCode);
        Assert.Equal((int)(ModuleUnloadFlags.NonBlocking | ModuleUnloadFlags.Force), Assert.Single(_kernel.Calls).Flags);
    }

    [Fact]
    public void KernelRefusalIsReportedAndTheNextModuleStillRemoved()
    {
        _kernel.AddLoadedModule("stuck");
        _kernel.AddLoadedModule("hello");
        _kernel.FailUnload("stuck", Errno.EBUSY);

        var result = Rmmod("stuck", "hello");

        Assert.Equal(
            "rmmod: ERROR: could not remove 'stuck': Device or resource busy\n" +
            "rmmod: ERROR: could not remove module stuck: Device or resource busy\n",
            result.StderrText);
        Assert.Equal(1, result.ExitCode);
        Assert.False(_kernel.ReadInitState("hello").Succeeded);
    }

    [Fact]
    public void UnusableArgumentFailsUnlikeKmod30()
    {
        // kmod 30 prints the same error but exits 0 (a bug fixed later); ModKit exits 1.
        var expected = Kmod.Run("rmmod", ["/"]);
        var actual = Rmmod("/");
        Assert.Equal(expected.StderrText, actual.StderrText);
        Assert.Equal((0, 1), (expected.ExitCode, actual.ExitCode));
    }

    [Fact]
    public void UnusableArgumentFailsAsInKmod34()
    {
        var expected = KmodOracle.Kmod34.Run("rmmod", ["/"]);
        var actual = Rmmod(KmodProfile.Kmod34, "/");
        Assert.True(actual.SameAs(expected), actual.DescribeDifference(expected));
    }

    private static readonly string[][] HostCases =
    [
        [], ["foo"], ["a-b", "c"], ["/etc/passwd"], ["-w"], ["-w", "x"], ["-x"], ["-h"], ["--help"], ["--verbose"], ["-s"], ["-v"],
        ["-f"], ["--bogus"], ["--force"], ["-v", "nosuchmod"], ["nosuch", "other"], ["bad/name"], ["x.ko"], ["/nonexistent.ko"],
        ["-s", "nosuchmod"], ["--", "-f"],
    ];

    public static TheoryData<string, string[]> HostCasesForBothReleases()
    {
        var data = new TheoryData<string, string[]>();
        foreach (string release in new[] { "30", "34" })
        {
            foreach (var args in HostCases)
            {
                data.Add(release, args);
            }
        }

        return data;
    }

    // Cases this host can answer (its kernel has no loaded modules and no /proc/modules): identical to each kmod.
    [Theory]
    [MemberData(nameof(HostCasesForBothReleases))]
    public void MatchesKmodWithoutLoadedModules(string release, string[] args)
    {
        var oracle = KmodOracle.Named(release);
        var expected = oracle.Run("rmmod", args, _root.Path);
        var actual = InProcessTool.Run("rmmod", args, currentDirectory: _root.Path, profile: oracle.Profile);
        Assert.True(actual.SameAs(expected), actual.DescribeDifference(expected));
    }
}
