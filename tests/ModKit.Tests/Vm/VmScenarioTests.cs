using ModKit.Tests.Support;
using Xunit.Abstractions;

namespace ModKit.Tests.Vm;

/// <summary>
/// The real kernel: each scenario of tests/vm boots Debian 12's kernel under QEMU (software emulation)
/// with modkit and kmod 30 side by side; every "compare" must print SAME and every "check" PASS. The
/// harness installs what it needs (qemu, busybox, headers); a failure to do so fails the test.
/// </summary>
public sealed class VmScenarioTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("hello")]
    [InlineData("ext4")]
    [InlineData("sig-enforce")]
    [InlineData("modprobe")]
    public void ScenarioPassesInTheVm(string scenario)
    {
        var environment = new Dictionary<string, string>();
        string? binary = Environment.GetEnvironmentVariable("MODKIT_BIN");
        if (!string.IsNullOrEmpty(binary))
        {
            environment["MODKIT_BIN"] = binary;
        }

        var result = ProcessRunner.Run("/bin/bash", [Path.Combine(RepositoryPaths.Root, "tests", "vm", "run.sh"), scenario],
            environment: environment, timeout: TimeSpan.FromMinutes(15)); // a build, then a boot of up to its "# timeout:"
        output.WriteLine(result.StdoutText);
        output.WriteLine(result.StderrText);

        var lines = result.StdoutText.Split('\n');
        Assert.True(result.ExitCode == 0, $"tests/vm/run.sh {scenario} exited {result.ExitCode}:\n{result.StdoutText}\n{result.StderrText}");
        Assert.DoesNotContain(lines, l => l.StartsWith("FAIL", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("SAME", StringComparison.Ordinal) || l.StartsWith("PASS", StringComparison.Ordinal));
    }
}
