using ModKit.Cli.GetOpt;
using ModKit.Tests.Support;

namespace ModKit.Tests.Cli.GetOpt;

/// <summary>
/// getopt_harness.c compiled with the machine's cc: runs glibc's getopt_long over a vector and
/// returns its transcript. A missing compiler fails the tests; nothing is skipped.
/// </summary>
public sealed class GlibcGetOptHarness : IDisposable
{
    private readonly string _directory;
    private readonly string _executable;

    public GlibcGetOptHarness()
    {
        string source = Path.Combine(AppContext.BaseDirectory, "Cli", "GetOpt", "getopt_harness.c");
        if (!File.Exists(source))
        {
            throw new FileNotFoundException("The getopt harness source was not copied to the test output.", source);
        }

        _directory = Directory.CreateTempSubdirectory("modkit-getopt-").FullName;
        _executable = Path.Combine(_directory, "getopt_harness");
        (int exitCode, string output) = Run("cc", ["-O0", "-Wall", "-Werror", "-o", _executable, source], posixlyCorrect: false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"cc failed ({exitCode}):\n{output}");
        }
    }

    internal string Transcript(GetOptVector vector)
    {
        string longSpec = string.Join(",", vector.Table.LongOptions.Select(o => $"{o.Name}/{(int)o.Argument}/{o.Value}"));
        (int exitCode, string output) = Run(
            _executable,
            [longSpec, vector.Table.ShortOptions, vector.Program, .. vector.Args],
            vector.PosixlyCorrect);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"getopt_harness failed ({exitCode}):\n{output}");
        }

        return output;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static (int ExitCode, string Output) Run(string file, IEnumerable<string> arguments, bool posixlyCorrect)
    {
        // ProcessRunner runs in the C locale (untranslated glibc messages) without LANGUAGE or POSIXLY_CORRECT.
        var result = ProcessRunner.Run(file, arguments,
            environment: posixlyCorrect ? new Dictionary<string, string> { ["POSIXLY_CORRECT"] = "1" } : null);
        return (result.ExitCode, result.StdoutText + result.StderrText);
    }
}
