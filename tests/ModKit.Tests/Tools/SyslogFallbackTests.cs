using ModKit.Tests.Support;

namespace ModKit.Tests.Tools;

/// <summary>
/// A tool started with its standard error closed: modprobe logs to syslog instead (<see cref="KmodProfile.SyslogWhenStderrClosed"/>,
/// in both profiles since Debian 12's kmod 30 snapshot has it too); insmod, rmmod and modinfo keep writing to the
/// closed descriptor, where the text is lost. Checked in-process with a fake syslog.
/// </summary>
public sealed class SyslogFallbackTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public SyslogFallbackTests() => Directory.CreateDirectory(Path.Combine(_root.Path, "lib", "modules", "0.0.0-test"));

    public void Dispose() => _root.Dispose();

    private (ProcessResult Result, List<(int Priority, string Message)> Sent, List<string> Programs) Run(
        string tool, string release, bool stderrOpen, params string[] args)
    {
        var sent = new List<(int, string)>();
        var programs = new List<string>();
        var result = InProcessTool.Run(tool, args, currentDirectory: _root.Path, root: _root.Path, profile: KmodProfile.FromName(release),
            stderrOpen: stderrOpen,
            syslog: program =>
            {
                programs.Add(program);
                return (priority, message) => sent.Add((priority, message));
            });
        return (result, sent, programs);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("34")]
    public void ModprobeLogsToSyslogWhenStderrIsClosed(string release)
    {
        var (result, sent, programs) = Run("modprobe", release, stderrOpen: false, "nosuchmod");
        Assert.Equal((1, ""), (result.ExitCode, result.StderrText));
        Assert.Equal(["modprobe"], programs);
        var (priority, message) = Assert.Single(sent);
        Assert.Equal(2, priority); // LOG_CRIT
        Assert.StartsWith("FATAL: Module nosuchmod not found in directory ", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("34")]
    public void ModprobeKeepsStderrWhenItIsOpen(string release)
    {
        var (result, sent, _) = Run("modprobe", release, stderrOpen: true, "nosuchmod");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("modprobe: FATAL: Module nosuchmod not found", result.StderrText, StringComparison.Ordinal);
        Assert.Empty(sent);
    }

    // kmod's getopt messages come before log_open: they go to the (closed) stderr whatever the profile.
    [Theory]
    [InlineData("30")]
    [InlineData("34")]
    public void OptionErrorsComeBeforeTheChoice(string release)
    {
        var (result, sent, _) = Run("modprobe", release, stderrOpen: false, "--bogus");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unrecognized option '--bogus'", result.StderrText, StringComparison.Ordinal);
        Assert.Empty(sent);
    }

    [Theory]
    [InlineData("insmod", "30", "/nonexistent.ko")]
    [InlineData("insmod", "34", "/nonexistent.ko")]
    [InlineData("rmmod", "30", "nosuchmod")]
    [InlineData("rmmod", "34", "nosuchmod")]
    [InlineData("modinfo", "30", "nosuchmod")]
    [InlineData("modinfo", "34", "nosuchmod")]
    public void OtherToolsKeepStderr(string tool, string release, string argument)
    {
        var (result, sent, _) = Run(tool, release, stderrOpen: false, argument);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith(tool + ": ERROR: ", result.StderrText, StringComparison.Ordinal);
        Assert.Empty(sent);
    }
}
