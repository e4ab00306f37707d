namespace ModKit.Tests.Support;

/// <summary>What a process (or an in-process tool run) produced.</summary>
internal sealed record ProcessResult(byte[] Stdout, byte[] Stderr, int ExitCode)
{
    /// <summary>The process was killed because it ran past its time limit.</summary>
    public bool TimedOut { get; init; }

    public string StdoutText => System.Text.Encoding.UTF8.GetString(Stdout);

    public string StderrText => System.Text.Encoding.UTF8.GetString(Stderr);

    public bool SameAs(ProcessResult other) =>
        ExitCode == other.ExitCode && Stdout.AsSpan().SequenceEqual(other.Stdout) && Stderr.AsSpan().SequenceEqual(other.Stderr);

    /// <summary>A short description of how this result differs from <paramref name="expected"/>.</summary>
    public string DescribeDifference(ProcessResult expected)
    {
        var parts = new List<string>();
        if (ExitCode != expected.ExitCode)
        {
            parts.Add($"exit {ExitCode}, kmod {expected.ExitCode}");
        }

        if (!Stdout.AsSpan().SequenceEqual(expected.Stdout))
        {
            parts.Add("stdout: " + FirstDifference(StdoutText, expected.StdoutText));
        }

        if (!Stderr.AsSpan().SequenceEqual(expected.Stderr))
        {
            parts.Add("stderr: " + FirstDifference(StderrText, expected.StderrText));
        }

        return string.Join("; ", parts);
    }

    private static string FirstDifference(string actual, string expected)
    {
        var a = actual.Split('\n');
        var e = expected.Split('\n');
        for (int i = 0; i < Math.Max(a.Length, e.Length); i++)
        {
            string al = i < a.Length ? a[i] : "<end>";
            string el = i < e.Length ? e[i] : "<end>";
            if (al != el)
            {
                return $"line {i + 1}: modkit [{al}] kmod [{el}]";
            }
        }

        return "(differs in bytes only)";
    }
}
