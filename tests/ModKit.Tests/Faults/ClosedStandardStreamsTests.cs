using ModKit.Tests.Support;

namespace ModKit.Tests.Faults;

/// <summary>
/// modprobe started as the kernel's <c>request_module</c> starts it (<c>/sbin/modprobe -q -- NAME</c> with standard
/// input, output and error closed), kmod and ModKit's binary run the same way in the same sandbox
/// (<see cref="ClosedStreamsSandbox"/>): the same exit status, the same messages in syslog, and nothing written
/// through descriptors 0–2 into a file or socket that took their numbers (an index, the syslog socket).
/// Nothing is loaded: the names resolve to built-in modules or run with <c>-n</c>.
/// </summary>
public sealed partial class ClosedStandardStreamsTests
{
    public static TheoryData<string, string, string, int, int> Cases()
    {
        var data = new TheoryData<string, string, string, int, int>();
        foreach (string release in new[] { "30", "34" })
        {
            // release, modprobe.d, arguments, expected exit status, expected syslog messages
            data.Add(release, "", "-q -- net-pf-10", 0, 0);            // built in (ipv6): nothing to load
            data.Add(release, "", "-q -n -- fs-ext4", 0, 0);           // a module and its dependencies, dry run
            data.Add(release, "", "-q -n -v -- fs-ext4", 0, 0);        // insmod lines to the closed standard output
            data.Add(release, "", "-q -- nosuchmod", 1, 0);            // -q: a missing module is not reported
            data.Add(release, "", "-- nosuchmod", 1, 1);               // FATAL: Module nosuchmod not found …
            data.Add(release, "", "-n -- nosuchmod fs-ext4", 1, 1);    // a missing module with arguments for it
            data.Add(release, "", "-q --bogus -- fs-ext4", 1, 0);      // getopt's message goes to the closed stderr
            data.Add(release, "options", "-q -n -- fs-ext4", 0, 0);    // libkmod's "ignoring bad line" message
            data.Add(release, "install nosuchthing /bin/true", "-q -- nosuchthing", 0, 0);  // an install command, no module
            data.Add(release, "install nosuchthing /bin/false", "-q -- nosuchthing", 1, 0); // a failing one: -q keeps it quiet
            data.Add(release, "install nosuchthing /bin/false", "-- nosuchthing", 1, 2);    // libkmod's error and modprobe's
            data.Add(release, "install nosuchthing echo x", "-- nosuchthing", 1, 2);        // the command inherits the closed stdout
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ModprobeAsTheKernelStartsIt(string release, string configuration, string arguments, int expectedExit, int expectedMessages)
    {
        var oracle = KmodOracle.Named(release);
        var tree = release == "30" ? KernelTree.Instance.ModuleDirectory("plain") : KernelTree.Trixie.ModuleDirectory("xz");
        string[] args = arguments.Split(' ');

        var kmod = ClosedStreamsSandbox.Run(tree, configuration, ["/bin/bash", "-c", oracle.BashCommand("modprobe"), "modprobe", .. args]);
        var ours = ClosedStreamsSandbox.Run(tree, configuration, ["/bin/bash", "-c", "exec -a modprobe \"$0\" \"$@\"", BuiltBinary.Path, .. args],
            oracle.ModKitEnvironment);

        Assert.Equal(kmod.ExitCode, ours.ExitCode);
        Assert.Equal(expectedExit, ours.ExitCode);
        Assert.Equal(kmod.Syslog.Select(Normal), ours.Syslog);
        Assert.Equal(expectedMessages, ours.Syslog.Count);
        Assert.All(ours.Syslog, m => Assert.StartsWith("modprobe: ", m.Text, StringComparison.Ordinal));

        // A write to a closed standard descriptor fails (EBADF) or lands on /dev/null: never in a file or socket that took
        // its number. A send on descriptors 0-2 is the syslog socket itself (what it carried is compared above).
        AssertNothingLanded(ours);
        AssertNothingLanded(kmod);
    }

    /// <summary>
    /// depmod -v with the three streams closed: its output files take descriptors 0-2 (kmod's and ModKit's alike) while
    /// its verbose lines and warnings go to standard output and error. Each write on 0-2 fails (EBADF) or is an output
    /// file's own, and every file equals what kmod writes with its streams open: nothing meant for a stream landed in one.
    /// </summary>
    [Theory]
    [InlineData("30")]
    [InlineData("34")]
    public void DepmodWithClosedStreams(string release)
    {
        var oracle = KmodOracle.Named(release);
        var tree = release == "30" ? KernelTree.Instance.ModuleDirectory("plain") : KernelTree.Trixie.ModuleDirectory("xz");
        using var reference = new TempDirectory();
        using var kmodRoot = new TempDirectory();
        using var ourRoot = new TempDirectory();
        foreach (string root in new[] { reference.Path, kmodRoot.Path, ourRoot.Path })
        {
            SyntheticModuleTree.Write(root, 300);
            File.Delete(Path.Combine(root, "lib", "modules", SyntheticModuleTree.Release, "modules.builtin")); // a warning
        }

        string[] Args(string root) => ["-v", "-b", root, SyntheticModuleTree.Release];
        var open = oracle.Run("depmod", Args(reference.Path));
        Assert.Contains("WARNING", open.StderrText, StringComparison.Ordinal);
        var kmod = ClosedStreamsSandbox.Run(tree, "", ["/bin/bash", "-c", oracle.BashCommand("depmod"), "depmod", .. Args(kmodRoot.Path)]);
        var ours = ClosedStreamsSandbox.Run(tree, "", ["/bin/bash", "-c", "exec -a depmod \"$0\" \"$@\"", BuiltBinary.Path, .. Args(ourRoot.Path)],
            oracle.ModKitEnvironment);

        Assert.Equal((open.ExitCode, kmod.ExitCode), (0, ours.ExitCode));
        Assert.Equal(kmod.Syslog, ours.Syslog);
        Assert.Contains(ours.StandardWrites, w => w.Target is null && w.Result < 0); // the verbose lines and the warning, lost
        // A write that failed reached nothing, whatever held the number: kmod 30's and 34.2's depmod write their
        // "could not open modules.builtin" warning to descriptor 2 while it holds the module directory (EBADF).
        foreach (var (who, outcome) in new[] { ("kmod", kmod), ("ModKit", ours) })
        {
            Assert.All(outcome.StandardWrites, w => Assert.True(w.Result < 0 || OutputFile().IsMatch(w.Target ?? ""),
                $"{who}: {w.Call} on descriptor {w.Descriptor} reached {w.Target} ({w.Result})"));
        }

        foreach (string name in DepmodOracleOutputs.FileNames(oracle.Profile))
        {
            string Read(string root) => Convert.ToHexString(File.ReadAllBytes(Path.Combine(root, "lib", "modules", SyntheticModuleTree.Release, name)));
            Assert.True(Read(reference.Path) == Read(kmodRoot.Path), name + ": kmod's differs from its run with open streams");
            Assert.True(Read(reference.Path) == Read(ourRoot.Path), name + ": ModKit's differs from kmod's");
        }
    }

    // A temporary output file: modules.NAME.PID.USEC.SEC (kmod) or ModKit's temporary name beside it.
    [System.Text.RegularExpressions.GeneratedRegex(@"/lib/modules/[^/]+/modules\.[a-z.]+\.[0-9.]+$")]
    private static partial System.Text.RegularExpressions.Regex OutputFile();

    // Debian 12's libkmod names its C source in the messages it routes through modprobe's log.
    private static ClosedStreamsSandbox.SyslogMessage Normal(ClosedStreamsSandbox.SyslogMessage message) =>
        message with { Text = System.Text.Encoding.UTF8.GetString(Kmod.NormalizeLibkmodLocation(System.Text.Encoding.UTF8.GetBytes(message.Text))) };

    private static void AssertNothingLanded(ClosedStreamsSandbox.Outcome outcome)
    {
        foreach (var write in outcome.StandardWrites)
        {
            bool syslog = write.Call == "sendto" && write.Target?.StartsWith("socket:", StringComparison.Ordinal) == true;
            Assert.True(syslog || write.Target == "/dev/null" || (write.Target is null && write.Result < 0),
                $"{write.Call} on descriptor {write.Descriptor} reached {write.Target ?? "?"} ({write.Result}):\n{outcome.Trace}");
        }
    }
}
