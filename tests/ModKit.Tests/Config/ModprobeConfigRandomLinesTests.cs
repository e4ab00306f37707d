using System.Text;
using ModKit.Config;
using ModKit.Tests.Support;
using Xunit;

namespace ModKit.Tests.Config;

/// <summary>
/// Deterministically generated modprobe.d lines (directives, odd words, tabs, backslashes, comments), read by
/// ModKit and by kmod's <c>modprobe -c</c> (kmod 30 and 34.2, each with its profile): the printed configuration
/// and the error lines must agree.
/// </summary>
public sealed class ModprobeConfigRandomLinesTests : IDisposable
{
    private static readonly string[] Words =
    [
        "alias", "options", "install", "remove", "blacklist", "softdep", "weakdep", "include", "config",
        "pre:", "post:", "a-b", "c_d", "e", "[0-9-]", "x]y", "[open", "pci:v*d*", "p=1", "q=\"v w\"", "#", "\\", "\\\\",
        "$CMDLINE_OPTS", "-", "pre:x", " pre:", "",
    ];

    private static readonly string[] Separators = [" ", "  ", "\t", " \t ", "\\\n", "\\\n  ", ""];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("30", 1)]
    [InlineData("30", 2)]
    [InlineData("30", 3)]
    [InlineData("34", 1)]
    [InlineData("34", 4)]
    public void AgreesWithKmod(string kmodRelease, int seed)
    {
        var oracle = KmodOracle.Named(kmodRelease);
        var random = new Random(seed);
        var text = new StringBuilder();
        for (int line = 0; line < 300; line++)
        {
            int words = random.Next(0, 6);
            if (random.Next(4) == 0)
            {
                text.Append(Separators[random.Next(Separators.Length)]);
            }

            for (int w = 0; w < words; w++)
            {
                text.Append(w == 0 && random.Next(3) > 0 ? Words[random.Next(9)] : Words[random.Next(Words.Length)]);
                text.Append(Separators[random.Next(Separators.Length)]);
            }

            text.Append('\n');
        }

        string file = Path.Combine(_temp.Path, "random.conf");
        File.WriteAllText(file, text.ToString());
        var kmod = oracle.Run("modprobe", ["-c", "-C", file, "-d", Path.Combine(_temp.Path, "root"), "-S", "0"]);
        Assert.Equal(0, kmod.ExitCode);
        string kmodOut = kmod.StdoutText;
        int end = kmodOut.IndexOf("\n# End of configuration files.", StringComparison.Ordinal);
        Assert.True(end >= 0, kmodOut);

        var config = new ModprobeConfigLoader
        {
            Profile = oracle.Profile,
            ConfigPaths = [file],
            KernelCommandLine = File.ReadAllText("/proc/cmdline"),
        }.Load();
        Assert.True(config.Aliases.Count + config.Options.Count + config.InstallCommands.Count + config.SoftDependencies.Count > 20, "too few accepted lines to compare");
        Assert.True(config.Diagnostics.Count > 20, "too few bad lines to compare");
        Assert.Equal(kmodOut[..end], ModprobeConfigFormatter.Format(config));
        Assert.Equal(kmod.StderrText, string.Concat(config.Diagnostics.Select(d => d.Text + "\n")));
    }
}
