using ModKit.Tests.Support;

namespace ModKit.Tests.Faults;

/// <summary>
/// modprobe started as the kernel's <c>request_module</c> starts it (<c>/sbin/modprobe -q -- NAME</c> with standard
/// input, output and error closed), kmod and ModKit's binary run the same way in the same sandbox
/// (<see cref="ClosedStreamsSandbox"/>): the same exit status, the same messages in syslog, and nothing written
/// through descriptors 0–2 into a file or socket that took their numbers (an index, the syslog socket).
/// Nothing is loaded: the names resolve to built-in modules or run with <c>-n</c>.
/// </summary>
public sealed class ClosedStandardStreamsTests
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
