using ModKit.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ModKit.Tests.Native;

/// <summary>
/// kmod's own libkmod API tests (test-init, test-initstate, test-loaded, test-new-module and
/// test-dependencies; kmod 34.2's also test-weakdep), with kmod's LD_PRELOAD traps and rootfs, relinked
/// against a shared libkmod: tests/kmod-testsuite/run.sh fetches kmod's sources at the release's tag, builds
/// the pieces and runs every test with Debian's libkmod of that release (the control: Debian 12's 30, or
/// trixie's 34.2 through trixie's loader) and with ModKit's library. Every test must pass with both.
/// </summary>
public sealed class KmodTestsuiteTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(30, 10, 5)]
    [InlineData(34, 12, 5)]
    public void KmodsApiTestsPassOnDebiansAndModKitsLibrary(int kmod, int testCount, int programsRun)
    {
        var result = ProcessRunner.Run("/bin/bash",
            [Path.Combine(RepositoryPaths.Root, "tests", "kmod-testsuite", "run.sh"), "--kmod", kmod.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            environment: new Dictionary<string, string> { ["MODKIT_LIBKMOD"] = BuiltLibrary.Path },
            timeout: TimeSpan.FromMinutes(10));
        output.WriteLine(result.StdoutText);
        output.WriteLine(result.StderrText);

        Assert.True(result.ExitCode == 0, $"tests/kmod-testsuite/run.sh --kmod {kmod} exited {result.ExitCode}:\n{result.StdoutText}\n{result.StderrText}");
        // One row per test and per whole program: "test-init  test_insert  PASS  PASS".
        var rows = result.StdoutText.Split('\n').Where(l => l.StartsWith("test-", StringComparison.Ordinal)).ToList();
        var cases = rows.Where(r => !r.Contains("(whole program)", StringComparison.Ordinal)).ToList();
        var programs = rows.Where(r => r.Contains("(whole program)", StringComparison.Ordinal)
            && !r.Contains("not run (a tool test)", StringComparison.Ordinal)).ToList();
        Assert.Equal(testCount, cases.Count);
        Assert.Equal(programsRun, programs.Count);
        Assert.All(cases, r => Assert.Matches(@"\sPASS\s+PASS\s*$", r));
        Assert.All(programs, r => Assert.Matches(@"exit 0, (\d+)/\1 passed\s+exit 0, (\d+)/\2 passed\s*$", r));
        // Only test-weakdep's tool test (modprobe -c) is left out.
        Assert.All(rows.Except(cases).Except(programs), r => Assert.StartsWith("test-weakdep", r, StringComparison.Ordinal));
    }
}
