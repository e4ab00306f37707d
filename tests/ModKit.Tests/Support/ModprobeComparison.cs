using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace ModKit.Tests.Support;

/// <summary>One modprobe command line (and environment) to run through both tools.</summary>
internal sealed record ModprobeCase(IReadOnlyList<string> Args, IReadOnlyDictionary<string, string>? Environment = null)
{
    public override string ToString() =>
        (Environment is null ? "" : string.Concat(Environment.Select(e => $"{e.Key}='{e.Value}' "))) + "modprobe " + string.Join(' ', Args);
}

/// <summary>
/// Runs kmod's modprobe (kmod 30 unless another oracle is given) and ModKit's built binary in the oracle's
/// profile (both with argv[0] = "modprobe") on the same
/// arguments and compares stdout, stderr and exit status byte for byte. Cases run two at a time (the
/// machine has two cores); many lookup keys go through one process with <c>-a</c>, and a batch that
/// differs is compared again key by key to count and report what differs.
/// </summary>
internal sealed partial class ModprobeComparison(ITestOutputHelper output, KmodOracle? oracle = null)
{
    private readonly KmodOracle _oracle = oracle ?? KmodOracle.Kmod30;

    private const int Parallelism = 2;

    private int _reported;

    public ProcessResult RunKmod(ModprobeCase c) =>
        WithoutDebugBuildNoise(_oracle.Run("modprobe", c.Args, environment: Dictionary(c.Environment)));

    public ProcessResult RunModKit(ModprobeCase c) =>
        _oracle.RunModKit("modprobe", c.Args, environment: Dictionary(c.Environment));

    /// <summary>The cases whose results differ; the first few are written to the test output.</summary>
    public List<ModprobeCase> Differences(IEnumerable<ModprobeCase> cases)
    {
        var differing = new ConcurrentBag<(int Index, ModprobeCase Case)>();
        Parallel.ForEach(cases.Select((c, i) => (c, i)), new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, item =>
        {
            if (!Same(item.c))
            {
                differing.Add((item.i, item.c));
            }
        });

        return differing.OrderBy(d => d.Index).Select(d => d.Case).ToList();
    }

    /// <summary>
    /// Compares <c>modprobe OPTIONS -a KEY...</c> in batches of <paramref name="batchSize"/> keys, and each key
    /// of a differing batch alone (still with <c>-a</c>); returns the keys that differ.
    /// </summary>
    public List<string> DifferencesInBatches(IReadOnlyList<string> keys, IReadOnlyList<string> options, int batchSize = 1000)
    {
        var batches = keys.Chunk(batchSize).Select(batch => new ModprobeCase([.. options, "-a", .. batch])).ToList();
        var keysOf = batches.Zip(keys.Chunk(batchSize)).ToDictionary(p => p.First, p => p.Second);
        var result = new List<string>();
        foreach (var batch in Differences(batches))
        {
            var alone = keysOf[batch].Select(key => new ModprobeCase([.. options, "-a", key])).ToList();
            var differing = Differences(alone);
            result.AddRange(differing.Select(c => c.Args[^1]));
            if (differing.Count == 0)
            {
                // Every key matches alone but not together: report the batch itself.
                result.Add($"<batch starting at {keysOf[batch][0]}>");
            }
        }

        return result;
    }

    private bool Same(ModprobeCase c)
    {
        var expected = RunKmod(c);
        var actual = RunModKit(c);
        if (actual.SameAs(expected))
        {
            return true;
        }

        if (Interlocked.Increment(ref _reported) <= 15)
        {
            output.WriteLine($"DIFF {Shorten(c.ToString())}: {actual.DescribeDifference(expected)}");
        }

        return false;
    }

    private static string Shorten(string text) => text.Length <= 400 ? text : text[..400] + " ...";

    private static Dictionary<string, string>? Dictionary(IReadOnlyDictionary<string, string>? environment) =>
        environment?.ToDictionary(e => e.Key, e => e.Value);

    // Two more things of Debian's debug build that ModKit does not reproduce: DEBUG messages (compiled out
    // of a release build, where DBG() is a no-op), and the two INFO lines of -vv that print C pointers
    // ("custom logging function 0x55d0c0a8ad70 registered", "context 0x55d0c1f0e710 released"), which no
    // other program can print the same.
    private static ProcessResult WithoutDebugBuildNoise(ProcessResult result)
    {
        string text = Encoding.UTF8.GetString(result.Stderr);
        if (!text.Contains(": DEBUG: ", StringComparison.Ordinal) && !text.Contains(" 0x", StringComparison.Ordinal))
        {
            return result;
        }

        return result with { Stderr = Encoding.UTF8.GetBytes(DebugBuildNoise().Replace(text, "")) };
    }

    [GeneratedRegex(@"(?m)^[a-z]+: (DEBUG: .*|INFO: (custom logging function|context) 0x[0-9a-f]+ (registered|released))\n")]
    private static partial Regex DebugBuildNoise();
}
