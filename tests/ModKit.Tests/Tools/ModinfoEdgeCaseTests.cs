using ModKit.Tests.Support;
using Xunit.Abstractions;

namespace ModKit.Tests.Tools;

/// <summary>
/// modinfo against kmod 30 and kmod 34.2 (each in its profile) on what is not a good module: missing, empty,
/// truncated, garbage, directories, objects without .modinfo, broken compressed data, plus the command line itself.
/// </summary>
public sealed class ModinfoEdgeCaseTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _dir = Directory.CreateTempSubdirectory("modkit-modinfo-").FullName;
    private readonly string _sample;

    public ModinfoEdgeCaseTests(ITestOutputHelper output)
    {
        _output = output;
        var tree = KernelTree.Instance;
        _sample = tree.ModuleFiles("plain").First(f => f.EndsWith("/ext4.ko", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] CommandLineList =
    [
        "", "-h", "--help", "--hel", "-x", "--nope", "-F", "--field", "--field=", "-F author",
        "--auth MOD", "--author=1 MOD", "-an MOD", "-0p MOD", "-Fvermagic MOD", "--field vermagic MOD",
        "MOD -n", "-- MOD", "-m MOD", "-k", "-b", "-k 1.2.3 ext4", "-b /nonexistent ext4", "-F description -a MOD",
        "-p -0 MOD", "-F filename MOD", "-F name MOD", "-n -n MOD MOD", "-0 MOD", "MOD ./nothere.ko MOD",
        "-m",
        // LONG: a -b or -k that makes the module directory longer than PATH_MAX (kmod 34 refuses it, kmod 30 cuts it);
        // NEAR: one that fits, but not with /modules.softdep after it (libkmod reports the file it cannot parse).
        "-k LONG ext4", "-b LONG -k 1 ext4", "-b LONG -k 1 -m ext4", "-b NEAR -k 1 ext4", "-b NEAR -k 1 MOD",
    ];


    private static readonly string[] BadFileList =
    [
        "empty.ko", "short.ko", "six.ko", "garbage.ko", "text.ko", "elf-ident-only.ko", "elf-bad-class.ko",
        "elf-bad-data.ko", "elf-header-only.ko", "truncated-1k.ko", "truncated-half.ko", "truncated-tail.ko",
        "nomodinfo.ko", "dir.ko", "missing.ko", "garbage.ko.xz", "truncated.ko.xz", "garbage.ko.zst",
        "truncated.ko.zst", "notcompressed.ko.xz", "xz-but-named.ko", "zst-streamed.ko.zst", "nul-modinfo.ko",
        "shstrndx-zero.ko", "shoff-huge.ko", "shentsize-bad.ko", "sections-outside.ko", "symlink.ko", "plain.txt",
        "long-key.ko",
    ];

    public static TheoryData<string, string> CommandLines() => ForBothReleases(CommandLineList);

    public static TheoryData<string, string> BadFiles() => ForBothReleases(BadFileList);

    private static TheoryData<string, string> ForBothReleases(string[] cases)
    {
        var data = new TheoryData<string, string>();
        foreach (string release in new[] { "30", "34" })
        {
            foreach (string c in cases)
            {
                data.Add(release, c);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CommandLines))]
    public void CommandLineMatchesKmod(string release, string commandLine)
    {
        var args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(a => a switch
            {
                "MOD" => _sample,
                "LONG" => "/" + new string('d', 4100),
                "NEAR" => "/" + new string('d', 4070),
                _ => a,
            }).ToList();
        AssertSame(KmodOracle.Named(release), args);
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void BadFileMatchesKmod(string release, string name)
    {
        var oracle = KmodOracle.Named(release);
        string path = Path.Combine(_dir, name);
        Make(name, path);
        AssertSame(oracle, [path]);
        AssertSame(oracle, ["./" + name], workingDirectory: _dir);
        AssertSame(oracle, ["-F", "license", path]);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("34")]
    public void RelativePathsMatchKmod(string release)
    {
        var oracle = KmodOracle.Named(release);
        string copy = Path.Combine(_dir, "sub", "my-mod.ko");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(_sample, copy);
        AssertSame(oracle, ["sub/my-mod.ko"], workingDirectory: _dir);
        AssertSame(oracle, ["./sub/../sub/my-mod.ko"], workingDirectory: _dir);
        AssertSame(oracle, ["-n", "sub//my-mod.ko"], workingDirectory: _dir);
    }

    private void AssertSame(KmodOracle oracle, List<string> args, string? workingDirectory = null)
    {
        var expected = oracle.Run("modinfo", args, workingDirectory);
        var actual = InProcessTool.Run("modinfo", args, workingDirectory, profile: oracle.Profile);
        if (expected.ExitCode > 128)
        {
            // Debian builds kmod 30 with assertions on, and some broken files trip them (the process
            // aborts). kmod's release build reports EINVAL there; ModKit must report a clean error.
            _output.WriteLine($"kmod aborted (exit {expected.ExitCode}): {expected.StderrText.Trim()}");
            Assert.Equal(1, actual.ExitCode);
            Assert.Matches("^modinfo: ERROR: could not get modinfo from '[^']+': Invalid argument\n$", actual.StderrText);
            return;
        }

        if (!actual.SameAs(expected))
        {
            _output.WriteLine($"modinfo {string.Join(' ', args)}: {actual.DescribeDifference(expected)}");
            _output.WriteLine("kmod stderr: " + expected.StderrText);
            _output.WriteLine("modkit stderr: " + actual.StderrText);
        }

        Assert.Equal(expected.ExitCode, actual.ExitCode);
        Assert.Equal(expected.StderrText, actual.StderrText);
        Assert.Equal(expected.StdoutText, actual.StdoutText);
        Assert.True(actual.SameAs(expected));
    }

    private void Make(string name, string path)
    {
        byte[] module = File.ReadAllBytes(_sample);
        switch (name)
        {
            case "empty.ko": File.WriteAllBytes(path, []); break;
            case "short.ko": File.WriteAllBytes(path, [0x7F, (byte)'E', (byte)'L']); break;
            case "six.ko": File.WriteAllBytes(path, module[..6]); break;
            case "garbage.ko": File.WriteAllBytes(path, Garbage(4096, 1)); break;
            case "text.ko": File.WriteAllText(path, "this is not a module\n"); break;
            case "elf-ident-only.ko": File.WriteAllBytes(path, module[..16]); break;
            case "elf-bad-class.ko": File.WriteAllBytes(path, Patched(module, 4, 7)); break;
            case "elf-bad-data.ko": File.WriteAllBytes(path, Patched(module, 5, 9)); break;
            case "elf-header-only.ko": File.WriteAllBytes(path, module[..65]); break;
            case "truncated-1k.ko": File.WriteAllBytes(path, module[..1024]); break;
            case "truncated-half.ko": File.WriteAllBytes(path, module[..(module.Length / 2)]); break;
            case "truncated-tail.ko": File.WriteAllBytes(path, module[..(module.Length - 100)]); break;
            case "nomodinfo.ko": File.WriteAllBytes(path, RenameSection(module, ".modinfo", ".nodinfo")); break;
            case "nul-modinfo.ko": File.WriteAllBytes(path, ClearSection(module, ".modinfo")); break;
            case "shstrndx-zero.ko": File.WriteAllBytes(path, Patched(module, 62, 0, 0)); break;
            case "shoff-huge.ko": File.WriteAllBytes(path, Patched(module, 40, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F)); break;
            case "shentsize-bad.ko": File.WriteAllBytes(path, Patched(module, 58, 63, 0)); break;
            case "sections-outside.ko": File.WriteAllBytes(path, module[..(module.Length - 5000)]); break;
            case "dir.ko": Directory.CreateDirectory(path); break;
            case "missing.ko": break;
            case "garbage.ko.xz": File.WriteAllBytes(path, [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, .. Garbage(200, 2)]); break;
            case "truncated.ko.xz": File.WriteAllBytes(path, Compress("xz", module)[..3000]); break;
            case "garbage.ko.zst": File.WriteAllBytes(path, [0x28, 0xB5, 0x2F, 0xFD, .. Garbage(200, 3)]); break;
            case "truncated.ko.zst": File.WriteAllBytes(path, Compress("zstd", module)[..3000]); break;
            case "notcompressed.ko.xz": File.WriteAllBytes(path, module); break;
            case "xz-but-named.ko": File.WriteAllBytes(path, Compress("xz", module)); break;
            case "zst-streamed.ko.zst": File.WriteAllBytes(path, Compress("zstd", module)); break;
            case "symlink.ko": File.CreateSymbolicLink(path, _sample); break;
            case "plain.txt": File.WriteAllBytes(path, module); break;
            case "long-key.ko":
                new TestModuleBuilder().Info("license", "GPL").Info("a_key_longer_than_fifteen", "value").Info("exactly15chars_", "v")
                    .Info("name", "long_key").WriteTo(path);
                break;
            default: throw new ArgumentException(name);
        }
    }

    private static byte[] Garbage(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Patched(byte[] data, int offset, params byte[] values)
    {
        var copy = (byte[])data.Clone();
        values.CopyTo(copy, offset);
        return copy;
    }

    // Streams through the command-line tool (zstd -c from a pipe stores no content size).
    private static byte[] Compress(string tool, byte[] data)
    {
        var args = tool == "xz" ? new[] { "--check=crc32", "--lzma2=dict=1MiB", "-c" } : new[] { "-q", "-c" };
        var result = ProcessRunner.Run(ProcessRunner.Require("/usr/bin/" + tool), args, stdin: data);
        Assert.Equal(0, result.ExitCode);
        return result.Stdout;
    }

    private static byte[] RenameSection(byte[] module, string from, string to)
    {
        var copy = (byte[])module.Clone();
        int at = IndexOf(copy, System.Text.Encoding.ASCII.GetBytes(from + "\0"));
        System.Text.Encoding.ASCII.GetBytes(to).CopyTo(copy, at);
        return copy;
    }

    private static byte[] ClearSection(byte[] module, string name)
    {
        var copy = (byte[])module.Clone();
        var elf = ModKit.Elf.ElfFile.Open(new ModKit.IO.MemoryByteSource(copy));
        Assert.True(elf.TryFindSection(name, out var section));
        Array.Clear(copy, (int)section.Offset, (int)section.Size);
        return copy;
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
