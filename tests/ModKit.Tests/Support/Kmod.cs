using System.Text;
using System.Text.RegularExpressions;

namespace ModKit.Tests.Support;

/// <summary>Runs Debian's kmod 30 tools, the oracle of the differential tests.</summary>
internal static partial class Kmod
{
    public static string Binary => ProcessRunner.Require("/usr/bin/kmod", "/bin/kmod");

    /// <summary>Runs kmod as <paramref name="tool"/> (argv[0] = the tool's name, as from PATH).</summary>
    public static ProcessResult Run(string tool, IEnumerable<string> args, string? workingDirectory = null, TimeSpan? timeout = null,
        IDictionary<string, string>? environment = null)
    {
        var result = ProcessRunner.Run(Binary, args, workingDirectory, argv0: tool, environment: environment, timeout: timeout);
        return result with { Stderr = NormalizeLibkmodLocation(result.Stderr) };
    }

    // Debian builds kmod 30 with debug logging, so libkmod's own messages carry a C source location
    // ("libkmod: ERROR ../libkmod/libkmod-config.c:712 kmod_config_parse: ..." before a tool routes
    // them, "modprobe: ERROR: ../libkmod/libkmod-module.c:1047 command_do() ..." after); ModKit prints
    // the release form. This is the one difference the tests normalise (kmod-behavior.md §1.0).
    internal static byte[] NormalizeLibkmodLocation(byte[] stderr)
    {
        string text = Encoding.UTF8.GetString(stderr);
        if (!text.Contains("../libkmod/", StringComparison.Ordinal))
        {
            return stderr;
        }

        text = SourceLocation().Replace(text, "$1: $2: ");
        return Encoding.UTF8.GetBytes(ToolSourceLocation().Replace(text, "$1: $2: "));
    }

    [GeneratedRegex(@"(?m)^([a-z]+): ([A-Z]+) \.\./libkmod/[a-z-]+\.c:[0-9]+ ")]
    private static partial Regex SourceLocation();

    [GeneratedRegex(@"(?m)^([a-z]+): ([A-Z]+): \.\./libkmod/[a-z-]+\.c:[0-9]+ [a-z_0-9]+\(\) ")]
    private static partial Regex ToolSourceLocation();
}
