using ModKit.Tests.Support;
using Xunit.Abstractions;

namespace ModKit.Tests.Vm;

/// <summary>
/// The real kernel: each scenario of tests/vm boots a Debian kernel under QEMU (software emulation) with
/// modkit and that release's kmod side by side: Debian 12's 6.1 with kmod 30, and (<c>--debian 13</c>)
/// Debian 13's 6.12, which decompresses modules itself, with trixie's kmod 34.2. Every "compare" must print
/// SAME and every "check" PASS. The harness installs what it needs (qemu, busybox, headers; for Debian 13
/// a trixie root made once with mmdebstrap); a failure to do so fails the test. The libkmod scenario runs a C
/// client once on that release's libkmod and once on ModKit's libkmod.so.2 (MODKIT_LIBKMOD, or artifacts/lib).
/// </summary>
public sealed class VmScenarioTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("hello")]
    [InlineData("ext4")]
    [InlineData("sig-enforce")]
    [InlineData("sig-verify")]
    [InlineData("modprobe")]
    [InlineData("libkmod")]
    [InlineData("concurrent")]
    public void ScenarioPassesInTheVm(string scenario) => Run(12, scenario);

    [Theory]
    [InlineData("hello")]
    [InlineData("ext4")]
    [InlineData("sig-enforce")]
    [InlineData("sig-verify")]
    [InlineData("modprobe")]
    [InlineData("compressed")]
    [InlineData("libkmod")]
    [InlineData("concurrent")]
    public void ScenarioPassesInDebian13sVm(string scenario) => Run(13, scenario);

    private void Run(int debian, string scenario)
    {
        var environment = new Dictionary<string, string>();
        string? binary = Environment.GetEnvironmentVariable("MODKIT_BIN");
        if (!string.IsNullOrEmpty(binary))
        {
            environment["MODKIT_BIN"] = binary;
        }

        // The libkmod scenario's library (run.sh's default: the one build.sh puts in artifacts/lib).
        string? library = Environment.GetEnvironmentVariable("MODKIT_LIBKMOD");
        if (!string.IsNullOrEmpty(library))
        {
            environment["MODKIT_LIBKMOD"] = library;
        }

        // A build, the trixie root once (Debian 13: a few minutes), then a boot of up to its "# timeout:".
        var result = ProcessRunner.Run("/bin/bash",
            [Path.Combine(RepositoryPaths.Root, "tests", "vm", "run.sh"), "--debian", debian.ToString(System.Globalization.CultureInfo.InvariantCulture), scenario],
            environment: environment, timeout: TimeSpan.FromMinutes(20));
        output.WriteLine(result.StdoutText);
        output.WriteLine(result.StderrText);

        var lines = result.StdoutText.Split('\n');
        Assert.True(result.ExitCode == 0, $"tests/vm/run.sh --debian {debian} {scenario} exited {result.ExitCode}:\n{result.StdoutText}\n{result.StderrText}");
        Assert.DoesNotContain(lines, l => l.StartsWith("FAIL", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("SAME", StringComparison.Ordinal) || l.StartsWith("PASS", StringComparison.Ordinal));
    }
}
