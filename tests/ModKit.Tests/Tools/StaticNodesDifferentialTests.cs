using System.Text;
using ModKit.Tests.Support;

namespace ModKit.Tests.Tools;

/// <summary>
/// <c>kmod static-nodes</c> of ModKit's binary against kmod 30 and kmod 34.2, each run in a mount namespace where
/// the running kernel's <c>modules.devname</c> is the test's (<see cref="DevnameSandbox"/>): standard output and
/// error, exit status and the files <c>--output</c> made, on Debian's real files and on broken ones.
/// </summary>
public sealed class StaticNodesDifferentialTests
{
    private static readonly string[] Oracles = ["30", "34"];

    private static readonly string[] Formats = ["human", "tmpfiles", "devname"];

    /// <summary>The inputs, by name.</summary>
    private static DevnameSandbox.Input Input(string name) => name switch
    {
        "debian12" => DevnameSandbox.Input.FromFile(Path.Combine(KernelTree.Instance.ModuleDirectory("plain"), "modules.devname")),
        "debian13" => DevnameSandbox.Input.FromFile(Path.Combine(KernelTree.Trixie.ModuleDirectory("xz"), "modules.devname")),
        "empty" => DevnameSandbox.Input.Of([]),
        "missing" => DevnameSandbox.Input.Missing,
        "folder" => DevnameSandbox.Input.Folder,
        "broken" => DevnameSandbox.Input.Of(Broken()),
        "long" => DevnameSandbox.Input.Of(LongLines()),
        "nul" => DevnameSandbox.Input.Of(NulBytes()),
        "big" => DevnameSandbox.Input.Of(Big()),
        _ => throw new ArgumentException(name),
    };

    // Every way a line can be wrong or only just right for sscanf("%s %s %c%u:%u").
    private static byte[] Broken() => Encoding.Latin1.GetBytes(
        "# Device nodes to trigger on-demand module loading.\n" +
        "a b c1:2\n\n   \n# comment\n#\n" +
        "bad\nx y\nx y z1:2\nx y c1\nx y c1:\nx y c:1\nx y c1 :2\nx y cc1:2\nx y 1:2\n" +
        "x y c-1:+2\nx y b 3: 4 trailing words\n\t m \t d \v c \f 5:6\r\n" +
        "x y c99999999999:1\nx y c4294967296:4294967295\nx y c0x10:1\n" +
        "k l c99999999999999999999999:-99999999999999999999999\nk l c-99999999999:+7\nk l c+-1:2\n" +
        "\u00ff\u00fe c\u00c3\u00a9 c1:2\nx y \u00e9 1:2\n" +
        "tun net/tun c10:200\nsnd snd/seq/deep c116:1\nroot / c1:1\nslash dir/ b8:0\n" +
        "last y c1:1");

    // Lines longer than fgets' 4096-byte buffer are read in pieces, each taken as a line (a comment's too).
    private static byte[] LongLines()
    {
        var text = new StringBuilder();
        text.Append('#').Append('x', 5000).Append('\n');
        text.Append("a ").Append('b', 4100).Append(" c1:2\n");
        text.Append("m ").Append('n', 4085).Append(" c1:2\n");
        text.Append("m ").Append('n', 4086).Append(" c1:2\n");
        text.Append('z', 4094).Append('\n');
        text.Append('z', 4095).Append('\n');
        text.Append('z', 8190).Append("\nq r c").Append('1', 5000).Append(":2\n");
        text.Append("ok ok c1:1\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    // C strings end at a NUL: the rest of the line is never seen, not even by the error message.
    private static byte[] NulBytes() =>
        Encoding.Latin1.GetBytes("a b c1:2\0junk\n\0abc\nq r c3:4\n#\0\nbad\0\nx\0y c1:2\nk l c1:2\0\0\0\nnoeol y");

    // More output than a 4096-byte stdio buffer, errors in between (they come out between its blocks).
    private static byte[] Big()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 400; i++)
        {
            text.Append($"mod{i} dev{i % 3}/node{i} {(i % 5 == 0 ? 'b' : 'c')}{i}:{i * 7}\n");
            if (i % 37 == 0)
            {
                text.Append($"broken line {i}\n");
            }
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    public static TheoryData<string, string, string> InputsAndFormats()
    {
        var data = new TheoryData<string, string, string>();
        foreach (string oracle in Oracles)
        {
            foreach (string input in new[] { "debian12", "debian13", "empty", "missing", "folder", "broken", "long", "nul", "big" })
            {
                foreach (string format in Formats)
                {
                    data.Add(oracle, input, format);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(InputsAndFormats))]
    public void EveryFormatOfEveryInputMatchesKmod(string oracle, string input, string format)
    {
        var printed = AssertSame(oracle, Input(input), "kmod", ["static-nodes", "--format=" + format]);
        var written = AssertSame(oracle, Input(input), "kmod", ["static-nodes", "-f", format, "-o", "out/static-nodes.conf"]);

        // The sandbox gave kmod the file: both of Debian's lists have autofs4's node.
        if (input.StartsWith("debian", StringComparison.Ordinal))
        {
            Assert.Contains("autofs", printed.Result.StdoutText);
            Assert.Contains("autofs", Encoding.UTF8.GetString(written.Files["out/static-nodes.conf"]!));
        }
    }

    public static TheoryData<string, string> CommandLines()
    {
        // '|' separates the arguments; "''" is an empty one.
        string[] lines =
        [
            "static-nodes", "static-nodes|--help", "static-nodes|-h|extra", "static-nodes|--he", "static-nodes|--help=x",
            "static-nodes|-f|bad", "static-nodes|--format=Human", "static-nodes|-f|devname|-f|bad|-x", "static-nodes|-f", "static-nodes|--format",
            "static-nodes|-o", "static-nodes|--output", "static-nodes|-x", "static-nodes|--bogus", "static-nodes|--form|devname",
            "static-nodes|extra", "static-nodes|extra|-f|bad", "static-nodes|--format=tmpfiles|extra|args", "static-nodes|--|-f|bad",
            "static-nodes|-fdevname|-o-", "static-nodes|-ohuman|-ftmpfiles", "static-nodes|--output=a/b/c/d/static-nodes.conf",
            "static-nodes|-o|a//b///c", "static-nodes|-o|./x", "static-nodes|-o|.", "static-nodes|-o|''", "static-nodes|-o|out/",
            "static-nodes|-o|/proc/modkit-nonexistent/x", "static-nodes|-o|/sys/modkit/x/y", "static-nodes|-o|/dev/full",
            "static-nodes|-o|/dev/stdout", "static-nodes|-o|/dev/stderr", "static-nodes|-o|/proc/self/fd/1",
            "static-nodes|-o|file/x", "static-nodes|-o|file/x/y", "static-nodes|-o|dir/file/x/y",
            "--|static-nodes|-x", "--|static-nodes|--help", "static-nodes|--|extra",
        ];
        var data = new TheoryData<string, string>();
        foreach (string oracle in Oracles)
        {
            foreach (string line in lines)
            {
                data.Add(oracle, line);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CommandLines))]
    public void CommandLineMatchesKmod(string oracle, string line)
    {
        var args = line.Split('|').Select(a => a == "''" ? "" : a).ToArray();

        // "file" and "dir/file" are regular files made before the run, so a folder on the way is a file.
        AssertSame(oracle, Input("debian12"), "kmod", args, ": > file; mkdir -p dir; : > dir/file");
    }

    public static TheoryData<string, string, string> Redirections()
    {
        var data = new TheoryData<string, string, string>();
        foreach (string oracle in Oracles)
        {
            foreach (string redirect in new[] { ">&-", "2>&-", "2>&1", ">>appended", "<&-", ">&- 2>&-" })
            {
                foreach (string output in new[] { "", "/dev/stdout", "out.conf" })
                {
                    data.Add(oracle, redirect, output);
                }
            }
        }

        return data;
    }

    // kmod 30 opens /dev/stdout as a file: ">>" is overwritten from its start, and with standard output closed
    // the input takes descriptor 1 and is itself opened as the output.
    [Theory]
    [MemberData(nameof(Redirections))]
    public void StandardStreamsMatchKmod(string oracle, string redirect, string output)
    {
        string[] args = output.Length == 0 ? ["static-nodes", "-f", "tmpfiles"] : ["static-nodes", "-f", "tmpfiles", "-o", output];
        AssertSame(oracle, Input("big"), "kmod", args, "echo before > appended; exec " + redirect);
    }

    // A deliberate difference: with standard output closed, kmod opens modules.devname as its own output (kmod 30
    // without -o, both releases with -o /dev/stdout) and empties it; ModKit prints nothing either, but leaves the
    // file as it was. Both runs are checked, so the test fails if kmod ever stops doing this.
    [Theory]
    [InlineData("30", "")]
    [InlineData("30", "/dev/stdout")]
    [InlineData("34", "/dev/stdout")]
    [InlineData("34", "/proc/self/fd/1")]
    public void ClosedStandardOutput_KmodEmptiesModulesDevname_ModKitLeavesIt(string oracleName, string output)
    {
        var oracle = KmodOracle.Named(oracleName);
        var input = Input("debian12");
        string[] args = output.Length == 0 ? ["static-nodes", "-f", "tmpfiles"] : ["static-nodes", "-f", "tmpfiles", "-o", output];
        const string Script = "({0} \"$@\" >&-); echo $? > status; cp /lib/modules/$(uname -r)/modules.devname after";

        var (program, prefix, argv0) = oracle.Invocation("kmod");
        string kmodScript = string.Format(Script, argv0 is null ? "exec" : "exec -a " + argv0);
        var kmod = DevnameSandbox.RunCommand(input, ["/bin/bash", "-c", kmodScript, "bash", program, .. prefix, .. args]);
        var ours = DevnameSandbox.RunCommand(input, ["/bin/bash", "-c", string.Format(Script, "exec -a kmod"), "bash", BuiltBinary.Path, .. args],
            oracle.ModKitEnvironment);

        Assert.Equal("0\n", Encoding.ASCII.GetString(kmod.Files["status"]!));
        Assert.Empty(kmod.Files["after"]!);
        Assert.Equal("0\n", Encoding.ASCII.GetString(ours.Files["status"]!));
        Assert.Equal(input.Contents, ours.Files["after"]);
        Assert.Equal("", ours.Result.StdoutText + ours.Result.StderrText);
    }

    // On a terminal C's stdio buffers by line: each error comes out after the nodes before it.
    [Theory]
    [InlineData("30", "")]
    [InlineData("34", "")]
    [InlineData("30", "/dev/stdout")]
    [InlineData("34", "/dev/stdout")]
    public void ATerminalGetsLinesInOrderAsFromKmod(string oracle, string output)
    {
        string[] args = output.Length == 0 ? ["static-nodes", "-f", "devname"] : ["static-nodes", "-f", "devname", "-o", output];
        var kmod = AssertSame(oracle, Input("big"), "kmod", args, terminal: true);
        Assert.Contains("mod0 dev0/node0 b0:0\r\nError: invalid devname entry: broken line 0\r\nmod1 ", kmod.Result.StdoutText);
    }

    private static DevnameSandbox.Outcome AssertSame(string oracleName, DevnameSandbox.Input input, string argv0, string[] args, string setup = "",
        bool terminal = false)
    {
        var oracle = KmodOracle.Named(oracleName);
        var expected = DevnameSandbox.RunKmod(oracle, input, argv0, args, setup, terminal);
        var actual = DevnameSandbox.RunModKit(oracle, input, argv0, args, setup, terminal);
        Assert.True(actual.SameAs(expected), $"{oracle} {string.Join(' ', args)}: {actual.DescribeDifference(expected)}");
        return expected;
    }
}
