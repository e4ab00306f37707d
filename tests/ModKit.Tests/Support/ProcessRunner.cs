using System.Diagnostics;

namespace ModKit.Tests.Support;

/// <summary>
/// Runs an external program (kmod, the built binary, cc, readelf, compressors) and captures its output: the one
/// place the tests start processes. The program runs in the C locale (untranslated messages) with LANGUAGE and
/// POSIXLY_CORRECT removed, unless <c>environment</c> sets them. ModKit's binary runs as kmod 30
/// (<c>MODKIT_KMOD=30</c>), the oracle most tests compare with, unless <c>environment</c> names another profile.
/// </summary>
internal static class ProcessRunner
{
    private static readonly string[] SearchDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    public static ProcessResult Run(string fileName, IEnumerable<string> args, string? workingDirectory = null,
        string? argv0 = null, IDictionary<string, string>? environment = null, byte[]? stdin = null,
        TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };

        if (argv0 is null)
        {
            info.FileName = fileName;
            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }
        }
        else
        {
            // bash's exec -a sets argv[0], which kmod (and getopt's messages) use.
            info.FileName = "/bin/bash";
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("exec -a \"$0\" \"$@\"");
            info.ArgumentList.Add(argv0);
            info.ArgumentList.Add(fileName);
            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }
        }

        // glibc translates its messages; the C locale gives the untranslated texts.
        info.Environment["LC_ALL"] = "C";
        info.Environment.Remove("LANGUAGE");
        info.Environment.Remove("POSIXLY_CORRECT");
        info.Environment["MODKIT_KMOD"] = "30";
        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                info.Environment[k] = v;
            }
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start " + fileName);
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var outTask = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var errTask = process.StandardError.BaseStream.CopyToAsync(stderr);
        if (stdin is not null)
        {
            process.StandardInput.BaseStream.Write(stdin);
        }

        process.StandardInput.Close();
        bool exited = process.WaitForExit(timeout ?? TimeSpan.FromMinutes(10));
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        Task.WaitAll(outTask, errTask);
        return new ProcessResult(stdout.ToArray(), stderr.ToArray(), exited ? process.ExitCode : -1) { TimedOut = !exited };
    }

    /// <summary>The path of a required program; the test fails (never skips) when it is missing.</summary>
    public static string Require(params string[] candidates)
    {
        foreach (var c in candidates)
        {
            if (File.Exists(c))
            {
                return c;
            }
        }

        throw new InvalidOperationException(
            $"required program missing: {string.Join(" or ", candidates)} (the README's test command installs it)");
    }

    /// <summary>
    /// The absolute path of the program <paramref name="name"/> on PATH or in /usr/sbin, /sbin, /usr/bin, /bin
    /// (a name with a slash is taken as a path); the test fails (never skips) when it is missing.
    /// </summary>
    public static string Require(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return Require(new[] { name });
        }

        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(SearchDirectories);
        foreach (string directory in directories)
        {
            string candidate = Path.Combine(directory, name);
            if (directory.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"required program missing: '{name}' is not on PATH nor in {string.Join(", ", SearchDirectories)} (the README's test command installs it)");
    }
}
