using ModKit.Kernel;
using ModKit.Tests.Files;
using ModKit.Tests.Index;
using ModKit.Tests.Support;

namespace ModKit.Tests.Probe;

/// <summary>
/// modprobe's loading and removal against a fake kernel (kmod's tools/modprobe.c and
/// libkmod-module.c: kmod_module_probe_insert_module): plans, options, install and remove commands,
/// blacklist, softdeps, messages and exit statuses. A small module tree with hand-made indexes:
/// <c>top</c> needs <c>mid</c>, which needs <c>base</c>; <c>solo</c> stands alone and has the alias
/// <c>dev:solo*</c>; <c>builtin_one</c> is builtin.
/// </summary>
public sealed class ModprobeFakeKernelTests : IDisposable
{
    private const string Release = "0.0.0-fake";
    private readonly TempDirectory _temp = new();
    private readonly FakeKernel _kernel;
    private readonly string _root;
    private readonly string _moduleDirectory;
    private readonly string _config;
    private readonly List<(string Command, IReadOnlyDictionary<string, string> Environment)> _shell = [];

    public ModprobeFakeKernelTests()
    {
        _kernel = new FakeKernel(Path.Combine(_temp.Path, "kernel"), Release);
        _root = Path.Combine(_temp.Path, "root");
        _moduleDirectory = Path.Combine(_root, "lib/modules", Release);
        string kernelDirectory = Path.Combine(_moduleDirectory, "kernel");
        Directory.CreateDirectory(kernelDirectory);
        foreach (string name in new[] { "top", "mid", "base", "solo", "pre_one", "post_one" })
        {
            TestModules.Write(kernelDirectory, name + ".ko", name);
        }

        Write("modules.dep.bin", new TestIndexBuilder()
            .Add("top", "kernel/top.ko: kernel/mid.ko kernel/base.ko")
            .Add("mid", "kernel/mid.ko: kernel/base.ko")
            .Add("base", "kernel/base.ko:")
            .Add("solo", "kernel/solo.ko:")
            .Add("pre_one", "kernel/pre_one.ko:")
            .Add("post_one", "kernel/post_one.ko:"));
        Write("modules.alias.bin", new TestIndexBuilder().Add("dev:solo*", "solo"));
        Write("modules.symbols.bin", new TestIndexBuilder().Add("symbol:base_fn", "base"));
        Write("modules.builtin.bin", new TestIndexBuilder().Add("builtin_one", ""));
        _config = Path.Combine(_temp.Path, "modprobe.d");
        Directory.CreateDirectory(_config);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void LoadsDependenciesMostBasicFirstWithConfiguredAndCommandLineOptions()
    {
        Config("options mid speed=3\noptions top\tmode=a\noptions top level=1\n");
        var result = Modprobe("top", "extra=x", "msg=two words");

        Assert.Equal((0, "", ""), (result.ExitCode, result.StdoutText, result.StderrText));
        Assert.Equal(["base", "mid", "top"], Loaded());
        // Configured options of a module get a trailing space when nothing follows (module_options_concat).
        Assert.Equal(["", "speed=3 ", "mode=a level=1 extra=x msg=\"two words\""], _kernel.Calls.Select(c => c.Parameters));
    }

    [Fact]
    public void VerbosePrintsThePlanAndSkipsWhatIsLoaded()
    {
        _kernel.AddLoadedModule("base");
        var result = Modprobe("-v", "top");
        Assert.Equal($"insmod {_moduleDirectory}/kernel/mid.ko \ninsmod {_moduleDirectory}/kernel/top.ko \n", result.StdoutText);
        Assert.Equal(["mid", "top"], Loaded());
    }

    [Fact]
    public void AlreadyLoadedIsSuccessUnlessFirstTime()
    {
        _kernel.AddLoadedModule("solo");
        Assert.Equal((0, ""), (Modprobe("solo").ExitCode, Modprobe("solo").StderrText));
        var first = Modprobe("--first-time", "solo");
        Assert.Equal((1, "modprobe: ERROR: could not insert 'solo': Module already in kernel\n"), (first.ExitCode, first.StderrText));
        Assert.Empty(_kernel.Calls);
    }

    [Fact]
    public void BuiltinModulesCountAsLoaded()
    {
        Assert.Equal((0, "", ""), Triple(Modprobe("builtin_one")));
        Assert.Equal((0, "builtin builtin_one\n", ""), Triple(Modprobe("-D", "builtin_one")));
        Assert.Equal((1, "", "modprobe: ERROR: could not insert 'builtin_one': Module already in kernel\n"), Triple(Modprobe("--first-time", "builtin_one")));
        Assert.Equal((1, "", "modprobe: FATAL: Module builtin_one is builtin.\n"), Triple(Modprobe("-r", "builtin_one")));
    }

    [Fact]
    public void KernelErrorsNameTheRequestedModule()
    {
        _kernel.FailLoad("base", Errno.ENOENT);
        var unknownSymbol = Modprobe("top");
        Assert.Equal((1, "modprobe: ERROR: could not insert 'top': Unknown symbol in module, or unknown parameter (see dmesg)\n"),
            (unknownSymbol.ExitCode, unknownSymbol.StderrText));
        Assert.Empty(Loaded()); // the plan stops at the failing dependency

        _kernel.FailLoad("solo", Errno.ENOEXEC);
        Assert.Equal("modprobe: ERROR: could not insert 'solo': Exec format error\n", Modprobe("solo").StderrText);
    }

    [Fact]
    public void NotFoundIsFatalButOnlyAWarningWithAll()
    {
        Assert.Equal((1, "", $"modprobe: FATAL: Module nothere not found in directory {_moduleDirectory}\n"), Triple(Modprobe("nothere")));
        var all = Modprobe("-a", "nothere", "solo");
        Assert.Equal((1, $"modprobe: WARNING: Module nothere not found in directory {_moduleDirectory}\n"), (all.ExitCode, all.StderrText));
        Assert.Equal(["solo"], Loaded());
        Assert.Equal((1, "", ""), Triple(Modprobe("-q", "nothere")));
    }

    [Fact]
    public void AllForgetsEachNamesModulesBeforeTheNext()
    {
        // kmod frees a name's modules before the next name: a file named like a module met earlier is new.
        string other = Path.Combine(_temp.Path, "other");
        Directory.CreateDirectory(other);
        TestModules.Write(other, "mid.ko", "mid");
        var result = Modprobe(["-a", "-D", "top", other + "/mid.ko"], profile: KmodProfile.Kmod34);

        string kernel = _moduleDirectory + "/kernel";
        Assert.Equal((0, $"insmod {kernel}/base.ko \ninsmod {kernel}/mid.ko \ninsmod {kernel}/top.ko \ninsmod {kernel}/base.ko \ninsmod {other}/mid.ko \n", ""),
            Triple(result));
    }

    [Fact]
    public void InstallCommandsRunWithExpandedOptionsAndTheModuleInTheEnvironment()
    {
        Config("install solo /bin/echo loading $CMDLINE_OPTS; true\noptions solo a=1\n");
        var result = Modprobe(["-v", "-C", _config, "solo", "b=2"], environment: new Dictionary<string, string> { ["MODPROBE_OPTIONS"] = "-b" });

        Assert.Equal((0, "install /bin/echo loading $CMDLINE_OPTS; true a=1 b=2\n"), (result.ExitCode, result.StdoutText));
        var (command, environment) = Assert.Single(_shell);
        Assert.Equal("/bin/echo loading a=1 b=2; true", command);
        Assert.Equal("solo", environment["MODPROBE_MODULE"]);
        Assert.Equal($"-b -v -C {_config}", environment["MODPROBE_OPTIONS"]);
        Assert.Empty(_kernel.Calls);
    }

    [Fact]
    public void FailingInstallCommandIsAnInvalidArgument()
    {
        Config("install solo false\n");
        var result = Modprobe(["-C", _config, "solo"], status: 3 << 8);
        Assert.Equal(
            "modprobe: ERROR: Error running install command 'false' for module solo: retcode 3\n" +
            "modprobe: ERROR: could not insert 'solo': Invalid argument\n", result.StderrText);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public void InstallCommandOfANameThatIsNoModule()
    {
        Config("install virtual /bin/true\n");
        var result = Modprobe(["-C", _config, "-D", "virtual"]);
        Assert.Equal((0, "install /bin/true \n", ""), Triple(result));
        Assert.Equal(0, Modprobe(["-C", _config, "virtual"]).ExitCode);
        Assert.Equal("/bin/true", Assert.Single(_shell).Command);
    }

    [Fact]
    public void BlacklistStopsAliasesOnlyUnlessUseBlacklist()
    {
        Config("blacklist solo\n");
        Assert.Equal((0, "", ""), Triple(Modprobe(["-C", _config, "dev:solo42"])));
        Assert.Empty(_kernel.Calls);
        Assert.Equal((0, "", ""), Triple(Modprobe(["-C", _config, "-b", "solo"])));
        Assert.Empty(_kernel.Calls);
        Assert.Equal(0, Modprobe(["-C", _config, "solo"]).ExitCode);
        Assert.Equal(["solo"], Loaded());
    }

    [Fact]
    public void SoftdepsAroundTheModuleAndIgnoredWithI()
    {
        Config("softdep solo pre: pre_one post: post_one nosuch\n");
        Assert.Equal(0, Modprobe(["-C", _config, "solo"]).ExitCode);
        Assert.Equal(["pre_one", "solo", "post_one"], Loaded());

        var plan = Modprobe(["-C", _config, "-D", "-i", "solo"]);
        Assert.Equal($"insmod {_moduleDirectory}/kernel/solo.ko \n", plan.StdoutText);
    }

    [Fact]
    public void SoftdepFailuresDoNotStopTheLoad()
    {
        Config("softdep solo pre: pre_one\n");
        _kernel.FailLoad("pre_one", Errno.EINVAL);
        Assert.Equal((0, ""), (Modprobe(["-C", _config, "solo"]).ExitCode, string.Empty));
        Assert.Equal(["solo"], Loaded());
    }

    [Fact]
    public void RemoveTakesDependenciesThatAreUnusedWhenTheirTurnComes()
    {
        _kernel.AddLoadedModule("base", refCount: 1);
        _kernel.AddLoadedModule("mid", refCount: 1);
        _kernel.AddLoadedModule("top");
        // The fake kernel does not track who holds whom: after top goes, mid is unused, but base is
        // still held by mid when kmod's walk (most basic first) reaches it, so it stays.
        File.WriteAllText(Path.Combine(_kernel.Root, "sys/module/mid/refcnt"), "0\n");

        var result = Modprobe("-r", "-v", "top");
        Assert.Equal((0, "rmmod top\nrmmod mid\n", ""), Triple(result));
        Assert.Equal(["top", "mid"], _kernel.Calls.Select(c => c.Name));
    }

    [Fact]
    public void RemoveMessagesAndStatuses()
    {
        _kernel.AddLoadedModule("solo", refCount: 2);
        Assert.Equal((1, "", "modprobe: FATAL: Module solo is in use.\n"), Triple(Modprobe("-r", "solo")));
        Assert.Equal((0, "", ""), Triple(Modprobe("-r", "mid")));
        Assert.Equal((1, "", "modprobe: FATAL: Module mid is not in kernel.\n"), Triple(Modprobe("-r", "--first-time", "mid")));
        Assert.Equal((1, "", "modprobe: FATAL: Module nothere not found.\n"), Triple(Modprobe("-r", "nothere")));
        Assert.Empty(_kernel.Calls);
    }

    [Fact]
    public void RemoveCommandRunsInsteadOfDeleteModule()
    {
        Config("remove solo /bin/echo bye $CMDLINE_OPTS.\n");
        var result = Modprobe(["-C", _config, "-r", "-v", "solo"]);
        Assert.Equal((0, "remove /bin/echo bye .\n", ""), Triple(result));
        Assert.Equal("/bin/echo bye .", Assert.Single(_shell).Command);
        Assert.Empty(_kernel.Calls);

        var failing = Modprobe(["-C", _config, "-r", "solo"], status: 1 << 8);
        Assert.Equal((1, "", "modprobe: FATAL: Error running remove command for solo\n"), Triple(failing));
    }

    [Fact]
    public void WaitRetriesABusyModuleUntilTheDeadline()
    {
        _kernel.AddLoadedModule("solo");
        _kernel.FailUnload("solo", Errno.EAGAIN);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = Modprobe("-r", "-w", "120", "solo");
        Assert.InRange(started.ElapsedMilliseconds, 100, 10_000);
        Assert.Equal((1, "modprobe: ERROR: could not remove 'solo': Resource temporarily unavailable\n"), (result.ExitCode, result.StderrText));
        Assert.True(_kernel.Calls.Count > 3, $"{_kernel.Calls.Count} attempts");
        Assert.Equal((1, "modprobe: ERROR: unexpected wait value '12x'.\n"), (Modprobe("-r", "-w", "12x", "solo").ExitCode, Modprobe("-r", "-w", "12x", "solo").StderrText));
    }

    [Theory]
    [InlineData("30")]
    [InlineData("34")]
    public void RemoveHoldersFirstThenTheModuleEvenIfAlreadyGone(string profile)
    {
        // mid holds base; removing mid as a holder also takes base as mid's unused dependency, and then
        // base's own removal fails: kmod 30 and 34.2 try it anyway (only later kmods skip it, 327c587).
        _kernel.AddLoadedModule("base", holders: ["mid"]);
        _kernel.AddLoadedModule("mid");
        File.WriteAllText(Path.Combine(_kernel.Root, "sys/module/base/refcnt"), "0\n");
        var result = Modprobe(["-r", "--remove-holders", "-v", "base"], profile: KmodProfile.FromName(profile));
        Assert.Equal((1, "rmmod mid\nrmmod base\nrmmod base\n", "modprobe: ERROR: could not remove 'base': No such file or directory\n"), Triple(result));
    }

    [Fact]
    public void DryRunLoadsNothing()
    {
        var result = Modprobe("-n", "top");
        Assert.Equal((0, "", ""), Triple(result));
        Assert.Equal($"insmod {_moduleDirectory}/kernel/base.ko \ninsmod {_moduleDirectory}/kernel/mid.ko \ninsmod {_moduleDirectory}/kernel/top.ko \n", Modprobe("-n", "-v", "top").StdoutText);
        Assert.Empty(_kernel.Calls);
    }

    [Fact]
    public void KernelCommandLineOptionsAndBlacklist()
    {
        _kernel.SetCommandLine("quiet solo.level=7 modprobe.blacklist=solo");
        Assert.Equal(0, Modprobe("dev:solo1").ExitCode);
        Assert.Empty(_kernel.Calls);
        Assert.Equal(0, Modprobe("solo").ExitCode);
        Assert.Equal("level=7 ", Assert.Single(_kernel.Calls).Parameters);
    }

    [Fact]
    public void ShowsModversionsAndExportsOfFilesOnly()
    {
        var byPath = Modprobe("--show-modversions", Path.Combine(_moduleDirectory, "kernel/solo.ko"));
        Assert.Equal(0, byPath.ExitCode);
        Assert.StartsWith("0x", byPath.StdoutText, StringComparison.Ordinal);
        var relative = InProcessTool.Run("modprobe", ["--show-modversions", "kernel/solo.ko"], currentDirectory: _moduleDirectory, root: _root, kernel: _kernel);
        Assert.Equal(byPath.StdoutText, relative.StdoutText);

        // kmod 30 and 34.2 take no module names here: "solo" is a file that is not in the working directory.
        Assert.Equal((1, "", "modprobe: FATAL: Module solo not found.\n"), Triple(Modprobe("--show-modversions", "solo")));
        Assert.Equal((1, "", $"modprobe: FATAL: Module /nothere.ko not found.\n"), Triple(Modprobe("--show-exports", "/nothere.ko")));
    }

    // Upstream since kmod 31, and in Debian 12's kmod 30 (a 2022-11-28 snapshot): strace shows both connect to /dev/log.
    [Theory]
    [InlineData("30", false, true)]
    [InlineData("30", true, false)]
    [InlineData("34", false, true)]
    [InlineData("34", true, false)]
    public void ClosedStderrSendsMessagesToSyslog(string profile, bool stderrOpen, bool toSyslog)
    {
        var logged = new List<string>();
        var result = InProcessTool.Run("modprobe", ["-C", _config, "nosuch"], currentDirectory: _temp.Path, root: _root, kernel: _kernel,
            profile: KmodProfile.FromName(profile), stderrOpen: stderrOpen, syslog: program => (priority, message) => logged.Add($"{program} {priority} {message}"));
        Assert.Equal(1, result.ExitCode);
        string message = $"Module nosuch not found in directory {_moduleDirectory}";
        Assert.Equal(toSyslog ? [$"modprobe 2 FATAL: {message}\n"] : [], logged);
        Assert.Equal(toSyslog ? "" : $"modprobe: FATAL: {message}\n", result.StderrText);
    }

    private static (int, string, string) Triple(ProcessResult result) => (result.ExitCode, result.StdoutText, result.StderrText);

    private List<string> Loaded() => _kernel.Calls.Where(c => c.Operation.EndsWith("init_module", StringComparison.Ordinal) && c.Errno == 0).Select(c => c.Name).ToList();

    /// <summary>
    /// A corrupt <c>.ko.xz</c> and a <c>.ko.zst</c> made by <c>zstd</c> from a pipe (no content size in its frame header),
    /// loaded on a kernel that decompresses nothing: kmod 30 streams zstd (the module loads) and logs no decompression
    /// error; kmod 34.2 needs the content size and routes libkmod's message to modprobe's log before its own error.
    /// </summary>
    [Theory]
    [InlineData("30", "", true)]
    [InlineData("34", "modprobe: ERROR: zstd: Failed to determine decompression size\nmodprobe: ERROR: could not insert 'streamed': Invalid argument\n", false)]
    public void BrokenCompressedModules_LogLibkmodsErrorAsTheReleaseDoes(string profile, string streamedError, bool streamedLoads)
    {
        string kernelDirectory = Path.Combine(_moduleDirectory, "kernel");
        byte[] image = TestModules.Build("streamed", "0.0.0-fake SMP mod_unload");
        File.WriteAllBytes(Path.Combine(kernelDirectory, "streamed.ko.zst"), CompressionTool.CompressPipe(image, "zstd", "-q"));
        byte[] xz = CompressionTool.CompressFile(TestModules.Build("corrupt", "0.0.0-fake SMP mod_unload"), "xz", "--check=crc32");
        xz[xz.Length / 2] ^= 0x55;
        File.WriteAllBytes(Path.Combine(kernelDirectory, "corrupt.ko.xz"), xz);
        Write("modules.dep.bin", new TestIndexBuilder().Add("streamed", "kernel/streamed.ko.zst:").Add("corrupt", "kernel/corrupt.ko.xz:"));

        var kmod = KmodProfile.FromName(profile);
        var corrupt = Modprobe(["corrupt"], profile: kmod);
        string xzError = kmod!.LogsDecompressionErrors ? "modprobe: ERROR: xz: File is corrupt\n" : "";
        Assert.Equal((1, xzError + "modprobe: ERROR: could not insert 'corrupt': Invalid argument\n"), (corrupt.ExitCode, corrupt.StderrText));
        var streamed = Modprobe(["streamed"], profile: kmod);
        Assert.Equal((streamedLoads ? 0 : 1, streamedError), (streamed.ExitCode, streamed.StderrText));
        Assert.Equal(streamedLoads ? ["streamed"] : [], Loaded());
    }

    private void Write(string index, TestIndexBuilder builder) =>
        File.WriteAllBytes(Path.Combine(_moduleDirectory, index), builder.Build(preOrder: false));

    private void Config(string text) => File.WriteAllText(Path.Combine(_config, "test.conf"), text);

    private ProcessResult Modprobe(params string[] args) => Modprobe(args, environment: null);

    private ProcessResult Modprobe(string[] args, IReadOnlyDictionary<string, string>? environment = null, int status = 0, KmodProfile? profile = null)
    {
        // The default configuration folders under the fake root do not exist: -C picks the test's.
        var withConfig = args.Contains("-C") ? args : ["-C", _config, .. args];
        return InProcessTool.Run("modprobe", withConfig, currentDirectory: _temp.Path, root: _root, kernel: _kernel,
            shell: (command, env) =>
            {
                _shell.Add((command, env));
                return status;
            },
            environment: environment, profile: profile);
    }
}
