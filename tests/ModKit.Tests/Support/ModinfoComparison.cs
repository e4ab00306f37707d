using Xunit.Abstractions;

namespace ModKit.Tests.Support;

/// <summary>
/// Runs kmod's modinfo and ModKit's (in-process) on the same arguments and compares stdout, stderr
/// and exit status byte for byte. Arguments go in batches (one process per batch); a batch that
/// differs is compared again argument by argument to count and report what differs.
/// </summary>
internal sealed class ModinfoComparison(ITestOutputHelper output, string? workingDirectory = null, KmodOracle? oracle = null)
{
    private readonly KmodOracle _oracle = oracle ?? KmodOracle.Kmod30;

    public int BatchSize { get; init; } = 500;

    /// <summary>Arguments for which kmod itself died of a signal (so there is nothing to match).</summary>
    public List<string> KmodCrashes { get; } = [];

    public int CountDifferences(IReadOnlyList<string> arguments, IReadOnlyList<string> options)
    {
        int differences = 0;
        for (int start = 0; start < arguments.Count; start += BatchSize)
        {
            var batch = arguments.Skip(start).Take(BatchSize).ToList();
            if (Same(options.Concat(batch).ToList(), out _, out _))
            {
                continue;
            }

            foreach (var argument in batch)
            {
                if (!Same(options.Append(argument).ToList(), out string why, out bool kmodCrashed))
                {
                    if (kmodCrashed)
                    {
                        // Debian's kmod 30 keeps assertions on and aborts on some broken files: there
                        // is nothing to match, but ModKit must still fail cleanly.
                        KmodCrashes.Add(argument);
                        var alone = InProcessTool.Run("modinfo", options.Append(argument).ToList(), workingDirectory, profile: _oracle.Profile);
                        if (alone.ExitCode == 1 && alone.StderrText.StartsWith("modinfo: ERROR: ", StringComparison.Ordinal))
                        {
                            continue;
                        }

                        why = $"kmod aborted; ModKit exit {alone.ExitCode}, stderr [{alone.StderrText}]";
                    }

                    differences++;
                    if (differences <= 10)
                    {
                        output.WriteLine($"DIFF modinfo {string.Join(' ', options)} {argument}: {why}");
                    }
                }
            }
        }

        return differences;
    }

    private bool Same(List<string> args, out string why, out bool kmodCrashed)
    {
        var expected = _oracle.Run("modinfo", args, workingDirectory);
        var actual = InProcessTool.Run("modinfo", args, workingDirectory, profile: _oracle.Profile);
        kmodCrashed = expected.ExitCode > 128;
        why = actual.SameAs(expected) ? string.Empty : actual.DescribeDifference(expected);
        return why.Length == 0;
    }
}
