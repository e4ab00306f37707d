using System.Diagnostics;
using ModKit.Cli.GetOpt;

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
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // glibc translates its messages; the C locale gives the untranslated texts.
        start.Environment["LC_ALL"] = "C";
        start.Environment.Remove("LANGUAGE");
        start.Environment.Remove("POSIXLY_CORRECT");
        if (posixlyCorrect)
        {
            start.Environment["POSIXLY_CORRECT"] = "1";
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {file}.");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
