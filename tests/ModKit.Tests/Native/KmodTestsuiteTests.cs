using ModKit.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace ModKit.Tests.Native;

/// <summary>
/// kmod's own libkmod API tests (kmod 30's test-init, test-initstate, test-loaded, test-new-module and
/// test-dependencies, with kmod's LD_PRELOAD traps and rootfs) relinked against a shared libkmod:
/// tests/kmod-testsuite/run.sh fetches kmod's sources, builds the pieces and runs every test with Debian's
/// libkmod 30 (the control) and with ModKit's library. Every test must pass with both.
/// </summary>
public sealed class KmodTestsuiteTests(ITestOutputHelper output)
{
    [Fact]
    public void KmodsApiTestsPassOnDebiansAndModKitsLibrary()
    {
        var result = ProcessRunner.Run("/bin/bash",
            [Path.Combine(RepositoryPaths.Root, "tests", "kmod-testsuite", "run.sh"),
             "debian=" + BuiltLibrary.DebianLibkmod, "modkit=" + BuiltLibrary.Path],
            timeout: TimeSpan.FromMinutes(10));
        output.WriteLine(result.StdoutText);
        output.WriteLine(result.StderrText);

        Assert.True(result.ExitCode == 0, $"tests/kmod-testsuite/run.sh exited {result.ExitCode}:\n{result.StdoutText}\n{result.StderrText}");
        // One row per test and per whole program: "test-init  test_insert  PASS  PASS".
        var rows = result.StdoutText.Split('\n').Where(l => l.StartsWith("test-", StringComparison.Ordinal)).ToList();
        var cases = rows.Where(r => !r.Contains("(whole program)", StringComparison.Ordinal)).ToList();
        var programs = rows.Where(r => r.Contains("(whole program)", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, programs.Count);
        Assert.Equal(10, cases.Count);
        Assert.All(cases, r => Assert.Matches(@"\sPASS\s+PASS\s*$", r));
        Assert.All(programs, r => Assert.Matches(@"exit 0, (\d+)/\1 passed\s+exit 0, (\d+)/\2 passed\s*$", r));
    }
}
