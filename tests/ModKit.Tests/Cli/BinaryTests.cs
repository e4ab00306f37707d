using ModKit.Tests.Support;
using Xunit.Abstractions;

namespace ModKit.Tests.Cli;

/// <summary>
/// The published NativeAOT binary: multi-call dispatch through its links and the front-end, and
/// modinfo through the binary against kmod on a sample of real modules in all three forms.
/// </summary>
public class BinaryTests(ITestOutputHelper output)
{
    [Fact]
    public void LinksExistForEveryTool()
    {
        foreach (var tool in new[] { "insmod", "rmmod", "lsmod", "modinfo", "modprobe", "depmod", "kmod" })
        {
            var link = new FileInfo(Path.Combine(BuiltBinary.Directory, tool));
            Assert.Equal("modkit", link.LinkTarget);
        }
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("xz")]
    [InlineData("zst")]
    public void ModinfoThroughTheBinaryMatchesKmod(string kind)
    {
        var tree = KernelTree.Instance;
        var sample = tree.ModuleFiles(kind).Where((_, i) => i % 13 == 0).ToList();
        foreach (var options in new[] { Array.Empty<string>(), ["-0"], ["-p"], ["-F", "signature"] })
        {
            var args = options.Concat(sample).ToList();
            var expected = Kmod.Run("modinfo", args);
            var viaLink = ProcessRunner.Run(Path.Combine(BuiltBinary.Directory, "modinfo"), args, argv0: "modinfo");
            var viaFrontEnd = ProcessRunner.Run(BuiltBinary.Path, new[] { "modinfo" }.Concat(args));
            output.WriteLine($"{sample.Count} modules ({kind}) {string.Join(' ', options)}: {(viaLink.SameAs(expected) ? "same" : viaLink.DescribeDifference(expected))}");
            Assert.True(viaLink.SameAs(expected), viaLink.DescribeDifference(expected));
            Assert.True(viaFrontEnd.SameAs(expected), viaFrontEnd.DescribeDifference(expected));
        }
    }

    [Theory]
    [InlineData("-x")]
    [InlineData("--nope")]
    [InlineData("-F")]
    [InlineData("")]
    [InlineData("-h")]
    [InlineData("/nonexistent/x.ko")]
    [InlineData("-k 1.2.3 ext4")]
    public void ModinfoCommandLineThroughTheBinaryMatchesKmod(string commandLine)
    {
        var args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var expected = Kmod.Run("modinfo", args);
        var actual = ProcessRunner.Run(Path.Combine(BuiltBinary.Directory, "modinfo"), args, argv0: "modinfo");
        Assert.True(actual.SameAs(expected), actual.DescribeDifference(expected));
    }

    // Started with "2>&-": kmod's messages are lost (modprobe's go to syslog, or with no /dev/log to the console) and
    // the exit status stays; ModKit used to abort on the failed write (exit 134).
    [Theory]
    [InlineData("30", "modprobe nosuchmod")]
    [InlineData("34", "modprobe nosuchmod")]
    [InlineData("30", "insmod /nonexistent.ko")]
    [InlineData("34", "insmod /nonexistent.ko")]
    [InlineData("30", "rmmod nosuchmod")]
    [InlineData("34", "rmmod nosuchmod")]
    [InlineData("30", "modinfo nosuchmod")]
    [InlineData("34", "modinfo -F name nosuchmod /nonexistent.ko")]
    [InlineData("34", "insmod --bogus")]
    public void ClosedStderrKeepsTheExitStatus(string release, string commandLine)
    {
        var words = commandLine.Split(' ');
        var oracle = KmodOracle.Named(release);
        var expected = oracle.RunWithStderrClosed(words[0], words[1..]);
        var actual = oracle.RunModKitWithStderrClosed(words[0], words[1..]);
        Assert.Equal((expected.ExitCode, expected.StdoutText), (actual.ExitCode, actual.StdoutText));
        Assert.Equal(1, actual.ExitCode);
    }

    [Theory]
    [InlineData("30", "insmod")]
    [InlineData("34", "insmod")]
    [InlineData("30", "rmmod")]
    [InlineData("34", "rmmod")]
    [InlineData("30", "modinfo")]
    [InlineData("34", "modinfo")]
    public void HelpThroughTheBinaryMatchesKmod(string release, string tool)
    {
        var oracle = KmodOracle.Named(release);
        foreach (string option in new[] { "-h", "--help", "--bogus", "-w" })
        {
            var expected = oracle.Run(tool, [option]);
            var actual = oracle.RunModKit(tool, [option]);
            Assert.True(actual.SameAs(expected), $"{tool} {option}: {actual.DescribeDifference(expected)}");
        }
    }

    [Fact]
    public void FrontEndAnswersHelpAndVersion()
    {
        var version = ProcessRunner.Run(BuiltBinary.Path, ["--version"]);
        Assert.Equal(0, version.ExitCode);
        Assert.Equal("modkit version 0.1.0\nkmod version 30\n+ZSTD +XZ +ZLIB +LIBCRYPTO -EXPERIMENTAL\n", version.StdoutText);

        var help = ProcessRunner.Run(BuiltBinary.Path, ["--help"]);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("modinfo", help.StdoutText);

        var none = ProcessRunner.Run(BuiltBinary.Path, []);
        Assert.Equal(1, none.ExitCode);
        Assert.Equal("missing command\n", none.StderrText);

        var bogus = ProcessRunner.Run(BuiltBinary.Path, ["bogus"]);
        Assert.Equal(1, bogus.ExitCode);
        Assert.Contains("invalid command 'bogus'", bogus.StderrText);
    }

    // Output goes through write(2) at the descriptor's shared offset, so a tool's output and what the
    // shell appends after it to the same file both survive (a positional write at 0 would not).
    [Fact]
    public void OutputSharesTheFileOffsetWithTheShell()
    {
        string file = Path.Combine(Path.GetTempPath(), $"modkit-offset-{Environment.ProcessId}.txt");
        try
        {
            var result = ProcessRunner.Run("/bin/bash", ["-c", $"(echo before; '{BuiltBinary.Path}' --version; echo after) > '{file}'"]);
            Assert.Equal(0, result.ExitCode);
            var lines = File.ReadAllLines(file);
            Assert.Equal("before", lines[0]);
            Assert.StartsWith("modkit version", lines[1]);
            Assert.Equal("after", lines[^1]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ModinfoVersionDiffersFromDebiansKmodOnlyInZlib()
    {
        var expected = Kmod.Run("modinfo", ["-V"]);
        var actual = ProcessRunner.Run(Path.Combine(BuiltBinary.Directory, "modinfo"), ["-V"], argv0: "modinfo");
        Assert.Equal(0, actual.ExitCode);
        Assert.Equal(expected.StdoutText.Replace("-ZLIB", "+ZLIB"), actual.StdoutText);
    }

    [Fact]
    public void GzipModulesReadLikeTheirPlainForm()
    {
        var tree = KernelTree.Instance;
        string plain = tree.ModuleFiles("plain").First(f => f.EndsWith("/ext4.ko", StringComparison.Ordinal));
        string dir = Directory.CreateTempSubdirectory("modkit-gz-").FullName;
        try
        {
            string gz = Path.Combine(dir, "ext4.ko.gz");
            var compressed = ProcessRunner.Run(ProcessRunner.Require("/usr/bin/gzip", "/bin/gzip"), ["-c", "-n"], stdin: File.ReadAllBytes(plain));
            File.WriteAllBytes(gz, compressed.Stdout);
            var fromPlain = ProcessRunner.Run(Path.Combine(BuiltBinary.Directory, "modinfo"), ["-F", "vermagic", "-F", "signature", plain], argv0: "modinfo");
            var fromGz = ProcessRunner.Run(Path.Combine(BuiltBinary.Directory, "modinfo"), ["-F", "vermagic", "-F", "signature", gz], argv0: "modinfo");
            Assert.Equal(0, fromGz.ExitCode);
            Assert.Equal(fromPlain.StdoutText, fromGz.StdoutText);
            Assert.NotEmpty(fromGz.StdoutText);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
