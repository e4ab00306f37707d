using System.Text;
using System.Text.RegularExpressions;
using ModKit.Tests.Support;
using Xunit;

namespace ModKit.Tests.Native;

/// <summary>
/// libkmod.so.2 inside the processes that load it (issue 12, point 3): udevd's workers forked without exec,
/// threads with contexts of their own, and what the .NET runtime adds to its host (address space, threads,
/// signal handlers, RLIMIT_AS). Each C program is compiled at test time and linked once with ModKit's
/// library and once with Debian's libkmod 30; their outputs must be equal.
/// </summary>
public sealed partial class LibkmodHostTests
{
    private static readonly string Sources = Path.Combine(RepositoryPaths.Root, "tests", "ModKit.Tests", "Native");

    private const string Config = """
        alias myalias ext4
        options ext4 foo=1 bar=2
        install dummy0 /bin/true
        softdep ext4 pre: crc32c_generic mbcache post: jbd2
        blacklist pcspkr
        """;

    // A GC every 256 KB of allocation in ModKit's runs (the default budget lets a whole walk pass without one):
    // the forked workers and the threads collect hundreds of times. The runtime reads DOTNET_* values as hex
    // digits without a 0x prefix (with one, the value is ignored).
    private static readonly Dictionary<string, string> ManyCollections = new() { ["DOTNET_GCgen0size"] = "40000" };

    /// <summary>
    /// The parent initialises libkmod and walks every name, then forks workers that walk them again with
    /// the parent's context, collecting garbage all the way; each must finish (a hang is killed after a
    /// minute and reported) with the output Debian's libkmod gives.
    /// </summary>
    [Fact]
    public void ForkedWorkersGoOnWithTheParentsContext()
    {
        const int Workers = 6;
        using var temp = new TempDirectory();
        var (config, names) = Setup(temp.Path);
        string directory = KernelTree.Instance.ModuleDirectory("plain");
        var outputs = new Dictionary<string, string>();
        foreach (var (name, library) in Libraries())
        {
            string program = Compile(temp.Path, "libkmod-fork.c", name, library);
            string output = Directory.CreateDirectory(Path.Combine(temp.Path, "out-" + name)).FullName;
            var result = ProcessRunner.Run(program, [directory, config, output, Workers.ToString(System.Globalization.CultureInfo.InvariantCulture), "60"],
                temp.Path, environment: name == "modkit" ? ManyCollections : null, stdin: names, timeout: TimeSpan.FromMinutes(3));
            Assert.False(result.TimedOut, name + ": timed out");
            Assert.True(result.ExitCode == 0, name + ": " + result.StdoutText + result.StderrText);
            Assert.Equal(string.Concat(Enumerable.Range(0, Workers).Select(i => $"worker {i}: exit 0\n")), result.StdoutText);
            outputs[name] = output;
        }

        string[] files = ["parent-before", .. Enumerable.Range(0, Workers).Select(i => "worker-" + i), "parent-after"];
        string expected = File.ReadAllText(Path.Combine(outputs["debian"], "parent-before"));
        Assert.Contains("\n ext4 /", expected, StringComparison.Ordinal);
        foreach (string file in files)
        {
            Assert.Equal(expected, File.ReadAllText(Path.Combine(outputs["debian"], file)));
            Assert.True(expected == File.ReadAllText(Path.Combine(outputs["modkit"], file)), file + " differs from Debian's libkmod");
        }
    }

    /// <summary>Threads, each with its own context, walking the tree at once: each sees what Debian's libkmod shows.</summary>
    [Fact]
    public void ThreadsWithContextsOfTheirOwn()
    {
        const int Threads = 6;
        using var temp = new TempDirectory();
        var (config, names) = Setup(temp.Path);
        // The xz tree: the threads decompress modules at once (modinfo), through ModKit's shared decoder pool.
        string directory = KernelTree.Instance.ModuleDirectory("xz");
        var outputs = new Dictionary<string, string>();
        foreach (var (name, library) in Libraries())
        {
            string program = Compile(temp.Path, "libkmod-threads.c", name, library, "-pthread");
            string output = Directory.CreateDirectory(Path.Combine(temp.Path, "out-" + name)).FullName;
            var result = ProcessRunner.Run(program, [directory, config, output, Threads.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                temp.Path, environment: name == "modkit" ? ManyCollections : null, stdin: names, timeout: TimeSpan.FromMinutes(3));
            Assert.False(result.TimedOut, name + ": timed out");
            Assert.True(result.ExitCode == 0, name + ": " + result.StdoutText + result.StderrText);
            outputs[name] = output;
        }

        for (int i = 0; i < Threads; i++)
        {
            string expected = File.ReadAllText(Path.Combine(outputs["debian"], "thread-" + i));
            Assert.Contains("\n ext4 /", expected, StringComparison.Ordinal);
            Assert.True(expected == File.ReadAllText(Path.Combine(outputs["modkit"], "thread-" + i)), $"thread {i} differs from Debian's libkmod");
        }
    }

    /// <summary>
    /// What the first call adds to the host: at most 1.2 GB of address space (the GC's region range,
    /// 1 GB, and the runtime's other mappings; the default would be twice the machine's memory), at most
    /// 16 MB resident, one thread (the finalizer), handlers for SIGSEGV, SIGFPE and SIGRTMIN only (SIGPIPE
    /// keeps the host's disposition), and the host's own SIGSEGV handler is still reached by a crash.
    /// </summary>
    [Fact]
    public void TheRuntimeAddsLittleToItsHost()
    {
        using var temp = new TempDirectory();
        string directory = KernelTree.Instance.ModuleDirectory("plain");
        string debian = Compile(temp.Path, "libkmod-footprint.c", "debian", BuiltLibrary.DebianLibkmod);
        string modkit = Compile(temp.Path, "libkmod-footprint.c", "modkit", BuiltLibrary.Path);

        var kmod = ProcessRunner.Run(debian, [directory], temp.Path, timeout: TimeSpan.FromMinutes(1));
        Assert.Equal("first call: context 0\n", kmod.StdoutText.Split('\n')[0] + "\n");
        Assert.DoesNotContain("signal ", kmod.StdoutText, StringComparison.Ordinal);
        Assert.DoesNotContain("thread: ", kmod.StdoutText, StringComparison.Ordinal);

        var result = ProcessRunner.Run(modkit, [directory], temp.Path, timeout: TimeSpan.FromMinutes(1));
        string text = result.StdoutText;
        Assert.True(result.ExitCode == 0, text + result.StderrText);
        Assert.StartsWith("first call: context 0\n", text, StringComparison.Ordinal);
        var (before, after) = (Usage(text, "before"), Usage(text, "after"));
        Assert.True(after.VmSize - before.VmSize < 1200 * 1024, $"address space grew by {after.VmSize - before.VmSize} kB");
        Assert.True(after.VmRss - before.VmRss < 16 * 1024, $"resident memory grew by {after.VmRss - before.VmRss} kB");
        Assert.Equal(before.Threads + 1, after.Threads);
        Assert.Equal(["thread: .NET Finalizer"], Lines(text, "thread: "));
        int rtmin = SignalRtMin();
        Assert.Equal(
            [$"signal 8 (Floating point exception): default -> handler", "signal 11 (Segmentation fault): program's handler -> handler", $"signal {rtmin} (realtime): default -> handler"],
            Lines(text, "signal ").Select(line => FlagsSuffix().Replace(line, "")));
        Assert.Contains("crash handler: reached\n", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// Under <c>ulimit -v</c>, from plenty of room down to less than Debian's libkmod needs, kmod_new either
    /// works or fails with ENOMEM: the process never aborts (the runtime's failed start would), and a
    /// failed kmod_new leaves no runtime behind.
    /// </summary>
    [Fact]
    public void AddressSpaceLimitsMakeKmodNewFailCleanly()
    {
        using var temp = new TempDirectory();
        string directory = KernelTree.Instance.ModuleDirectory("plain");
        string modkit = Compile(temp.Path, "libkmod-footprint.c", "modkit", BuiltLibrary.Path);
        var answers = new HashSet<string>(StringComparer.Ordinal);
        foreach (int limit in new[] { 4_000_000, 2_000_000, 1_200_000, 1_000_000, 600_000, 200_000, 100_000, 20_000, 10_000 })
        {
            var result = ProcessRunner.Run("/bin/sh", ["-c", $"ulimit -v {limit} && exec \"$0\" \"$1\"", modkit, directory], temp.Path,
                timeout: TimeSpan.FromMinutes(1));
            string first = result.StdoutText.Split('\n')[0];
            Assert.True(result.ExitCode == 0, $"ulimit -v {limit}: exit {result.ExitCode}: {result.StdoutText}{result.StderrText}");
            Assert.True(first is "first call: context 0" or "first call: no context -12", $"ulimit -v {limit}: {first}");
            if (first.Contains("no context", StringComparison.Ordinal))
            {
                Assert.Equal(Usage(result.StdoutText, "before").Threads, Usage(result.StdoutText, "after").Threads);
            }

            answers.Add(first);
        }

        Assert.Equal(2, answers.Count);
    }

    /// <summary>
    /// Every export with hostile arguments (libkmod-hostile.c: NULLs, empty strings, names longer than
    /// PATH_MAX, bytes that are not UTF-8, unknown values, a pipe without reader), one case a child process:
    /// each answer is Debian's, and where Debian's libkmod crashes (a NULL it does not check) ModKit's survives.
    /// </summary>
    [Fact]
    public void HostileArgumentsGetLibkmodsAnswers()
    {
        using var temp = new TempDirectory();
        string directory = KernelTree.Instance.ModuleDirectory("plain");
        var results = Libraries().Select(library => ProcessRunner.Run(Compile(temp.Path, "libkmod-hostile.c", library.Name, library.Library), [directory], temp.Path,
            timeout: TimeSpan.FromMinutes(2))).ToArray();
        var (expected, actual) = (results[0], results[1]);
        Assert.True(expected.ExitCode == 0 && actual.ExitCode == 0, actual.StdoutText + actual.StderrText);
        string[] theirs = expected.StdoutText.Split('\n'), ours = actual.StdoutText.Split('\n');
        Assert.Equal(theirs.Length, ours.Length);
        Assert.Contains("case 10: signal 13", theirs); // SIGPIPE kept its default disposition in both
        int crashes = 0;
        for (int i = 0; i < theirs.Length; i++)
        {
            if (theirs[i].EndsWith(" signal 11", StringComparison.Ordinal))
            {
                crashes++;
                Assert.DoesNotContain(" signal ", ours[i], StringComparison.Ordinal);
                continue;
            }

            Assert.Equal(theirs[i], ours[i]);
        }

        Assert.InRange(crashes, 1, 5);
        Assert.Equal(DebugPrefix().Replace(expected.StderrText, "libkmod: "), actual.StderrText);
    }

    /// <summary>
    /// systemd's PID 1 and udevd initialise libkmod before they block SIGCHLD in their main thread and read it
    /// from a signalfd: a child's exit must still reach the signalfd, so no thread the library started may
    /// take the signal (with ModKit's library before the fix, the runtime's finalizer thread did, and PID 1
    /// never learnt that its children exited: the whole-system boot hung).
    /// </summary>
    [Fact]
    public void ChildExitsStillReachTheHostsSignalfd()
    {
        using var temp = new TempDirectory();
        string directory = KernelTree.Instance.ModuleDirectory("plain");
        foreach (var (name, library) in Libraries())
        {
            var result = ProcessRunner.Run(Compile(temp.Path, "libkmod-sigchld.c", name, library), [directory], temp.Path, timeout: TimeSpan.FromMinutes(1));
            Assert.True(result.ExitCode == 0 && result.StdoutText == "sigchld: received\n", $"{name}: {result.StdoutText}{result.StderrText}");
        }
    }

    private static IEnumerable<(string Name, string Library)> Libraries() => [("debian", BuiltLibrary.DebianLibkmod), ("modkit", BuiltLibrary.Path)];

    private static string Compile(string directory, string source, string name, string library, params string[] extra)
    {
        string program = Path.Combine(directory, Path.GetFileNameWithoutExtension(source) + "-" + name);
        var cc = ProcessRunner.Run(ProcessRunner.Require("cc"),
            ["-O2", "-Wall", "-Werror", "-o", program, Path.Combine(Sources, source), library, "-Wl,-rpath," + Path.GetDirectoryName(library), .. extra]);
        Assert.True(cc.ExitCode == 0, $"cannot compile {source}: {cc.StderrText}");
        return program;
    }

    // The fixture configuration, and the names: every module of Debian 12's tree, every fifth alias without
    // wildcards, and a few names that find nothing or something else than a module.
    private static (string Config, byte[] Names) Setup(string directory)
    {
        string config = Directory.CreateDirectory(Path.Combine(directory, "modprobe.d")).FullName;
        File.WriteAllText(Path.Combine(config, "test.conf"), Config + "\n");
        string modules = KernelTree.Instance.ModuleDirectory("plain");
        var names = new List<string>();
        foreach (string line in File.ReadLines(Path.Combine(modules, "modules.dep")))
        {
            string file = Path.GetFileName(line[..line.IndexOf(':', StringComparison.Ordinal)]);
            names.Add(file[..file.IndexOf(".ko", StringComparison.Ordinal)]);
        }

        names.AddRange(File.ReadLines(Path.Combine(modules, "modules.alias")).Where((_, i) => i % 5 == 0)
            .Select(line => line.Split(' ')).Where(fields => fields.Length == 3 && fields[1].IndexOfAny(['*', '?', '[']) < 0).Select(fields => fields[1]));
        names.AddRange(["myalias", "dummy0", "pcspkr", "unix", "nonexistent", "symbol:jbd2_journal_start"]);
        return (config, Encoding.UTF8.GetBytes(string.Join('\n', names) + "\n"));
    }

    private static (long VmSize, long VmRss, long Threads) Usage(string text, string which)
    {
        var match = Regex.Match(text, "^" + which + @": vmsize=(\d+) vmrss=(\d+) threads=(\d+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no '{which}' line in: {text}");
        return (long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            long.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
            long.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string[] Lines(string text, string prefix) =>
        [.. text.Split('\n').Where(line => line.StartsWith(prefix, StringComparison.Ordinal))];

    // glibc's SIGRTMIN (34 with NPTL's two reserved signals), read from the shell's kill -l list.
    private static int SignalRtMin()
    {
        var result = ProcessRunner.Run("/bin/bash", ["-c", "kill -l RTMIN"]);
        return int.Parse(result.StdoutText.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    // Debian's libkmod 30 is a debug build: "libkmod: ERROR FILE:LINE FUNCTION: " (LibkmodClientTests).
    [GeneratedRegex(@"^libkmod: [A-Z]+ \S+:\d+ ", RegexOptions.Multiline)]
    private static partial Regex DebugPrefix();

    [GeneratedRegex(@" flags=0x[0-9a-f]+$")]
    private static partial Regex FlagsSuffix();
}
