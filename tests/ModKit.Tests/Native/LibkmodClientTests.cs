using System.Text;
using System.Text.RegularExpressions;
using ModKit.Tests.Support;
using Xunit;

namespace ModKit.Tests.Native;

/// <summary>
/// ModKit's libkmod.so.2 against Debian's libkmod 30: the same C program (libkmod-client.c), compiled
/// against libkmod-dev's header and linked once with each library, run on Debian 12's module tree with a
/// fixture modprobe.d; its output must be byte-identical.
/// </summary>
public sealed partial class LibkmodClientTests
{
    private static readonly string Source = Path.Combine(RepositoryPaths.Root, "tests", "ModKit.Tests", "Native", "libkmod-client.c");

    private const string Config = """
        alias myalias ext4
        alias pci:v0000ABCD* e1000e
        options ext4 foo=1 bar=2
        options e1000e IntMode=1
        options myalias baz=3
        install dummy0 /bin/true
        install snd_hda_intel /sbin/modprobe --ignore-install snd_hda_intel
        remove snd_hda_intel /bin/echo removed
        remove ext4 /bin/echo removing ext4
        softdep ext4 pre: crc32c_generic mbcache post: jbd2 nonexistent_mod
        softdep e1000e pre: bad[name post: ptp
        softdep snd_hda_* pre: snd_hda_codec_generic
        weakdep ext4 crc32c_generic nonexistent_weak bad[weak
        weakdep e1000e ptp
        blacklist pcspkr
        options pcspkr
        """;

    // Names and aliases besides the tree's own: the fixture's, builtins, symbols, nothing, odd spellings.
    private static readonly string[] ExtraNames =
    [
        "myalias", "pci:v0000ABCDd00001234sv0sd0bc02sc00i00", "dummy0", "snd-hda-intel", "fs-ext4", "net-pf-10",
        "unix", "nonexistent", "symbol:jbd2_journal_start", "symbol:nothing_at_all", "char-major-10-229",
        "crypto-aes", "ext-4", "pcspkr", "", "a[b", "usb:v1D6Bp0003d0601dc09dsc00dp03ic09isc00ip00in00",
    ];

    [Fact]
    public void ClientSeesTheSameAsWithDebiansLibkmod()
    {
        using var temp = new TempDirectory();
        string directory = KernelTree.Instance.ModuleDirectory("plain");
        string ours = Compile(temp.Path, "client-modkit", BuiltLibrary.Path);
        string debian = Compile(temp.Path, "client-debian", BuiltLibrary.DebianLibkmod);
        byte[] names = Encoding.UTF8.GetBytes(string.Join('\n', Names(directory)) + "\n");

        var expected = Run(temp.Path, debian, directory, names, null);
        var actual = Run(temp.Path, ours, directory, names, null);
        Assert.True(expected.ExitCode == 0, expected.StderrText);
        Assert.Equal(expected.ExitCode, actual.ExitCode);
        Assert.Equal(expected.StdoutText, actual.StdoutText);
        Assert.Equal(Unprefixed(expected.StderrText), Unprefixed(actual.StderrText));
        Assert.Contains("lookup ext4: 0\n  name=ext4 path=", expected.StdoutText, StringComparison.Ordinal);

        // A program linked against Debian's library, run on ModKit's (as systemd and dracut would be):
        // only a kmod 30 build has kmod_module_new_from_name_lookup in LIBKMOD_5 as the program needs.
        if (!ReadElf.VersionDefinitions(BuiltLibrary.Path).ContainsKey("LIBKMOD_30"))
        {
            var swapped = Run(temp.Path, debian, directory, names, Path.GetDirectoryName(BuiltLibrary.Path));
            Assert.Equal(expected.StdoutText, swapped.StdoutText);
        }
    }

    /// <summary>
    /// Against Debian 13's libkmod 34.2, run through trixie's loader (scripts/fetch-kmod34.sh), with the
    /// library built for kmod 34 (the default; a kmod 30 build lacks the LIBKMOD_30 node such a program needs)
    /// and run as kmod 34 (<c>MODKIT_KMOD=34</c>).
    /// </summary>
    [Fact]
    public void ClientSeesTheSameAsWithTrixiesLibkmod()
    {
        if (!ReadElf.VersionDefinitions(BuiltLibrary.Path).ContainsKey("LIBKMOD_30"))
        {
            return; // a kmod 30 build: compared with libkmod 30 above
        }

        // The oracle's wrapper: "exec LOADER --library-path LIBS --argv0 NAME KMOD".
        var (loader, prefix, _) = KmodOracle.Kmod34.Invocation("kmod");
        string libraryPath = prefix[1];
        string trixieLibkmod = Path.Combine(libraryPath.Split(':')[0], "libkmod.so.2");
        using var temp = new TempDirectory();
        string directory = KernelTree.Instance.ModuleDirectory("plain");
        // No run path: it would bring trixie's libc to this machine's loader.
        string program = Compile(temp.Path, "client-trixie", trixieLibkmod, runPath: false, "-Wl,--allow-shlib-undefined", "-DCLIENT_WEAKDEPS");
        byte[] names = Encoding.UTF8.GetBytes(string.Join('\n', Names(directory)) + "\n");

        var expected = Run(temp.Path, loader, directory, names, null, ["--library-path", libraryPath, program]);
        var actual = Run(temp.Path, program, directory, names, Path.GetDirectoryName(BuiltLibrary.Path), [], kmod34: true);
        Assert.True(expected.ExitCode == 0, expected.StderrText);
        Assert.Equal(expected.ExitCode, actual.ExitCode);
        Assert.Equal(expected.StdoutText, actual.StdoutText);
        Assert.Equal(expected.StderrText, actual.StderrText);
    }

    private static string Compile(string directory, string name, string library, bool runPath = true, params string[] extra)
    {
        Assert.True(File.Exists("/usr/include/libkmod.h"), "libkmod.h is missing: install libkmod-dev (scripts/test.sh does)");
        string program = Path.Combine(directory, name);
        var cc = ProcessRunner.Run(ProcessRunner.Require("cc"),
            ["-O2", "-Wall", "-Werror", "-o", program, Source, library, .. runPath ? ["-Wl,-rpath," + Path.GetDirectoryName(library)] : Array.Empty<string>(), .. extra]);
        Assert.True(cc.ExitCode == 0, "cannot compile libkmod-client.c: " + cc.StderrText);
        return program;
    }

    // Each run gets the same fresh paths: the fixture configuration and a scratch copy of the indexes,
    // which the program touches and deletes.
    private static ProcessResult Run(string directory, string program, string moduleDirectory, byte[] names, string? libraryPath,
        IReadOnlyList<string>? before = null, bool kmod34 = false)
    {
        string config = Path.Combine(directory, "modprobe.d");
        string scratch = Path.Combine(directory, "scratch");
        foreach (string path in new[] { config, scratch })
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }

            Directory.CreateDirectory(path);
        }

        File.WriteAllText(Path.Combine(config, "test.conf"), Config + "\n");
        foreach (string file in Directory.EnumerateFiles(moduleDirectory, "modules.*"))
        {
            File.Copy(file, Path.Combine(scratch, Path.GetFileName(file)));
        }

        var environment = new Dictionary<string, string> { ["KMOD_LOG"] = "err", ["MODKIT_KMOD"] = kmod34 ? "34" : "30" };
        if (libraryPath is not null)
        {
            environment["LD_LIBRARY_PATH"] = libraryPath;
        }

        return ProcessRunner.Run(program, [.. before ?? [], moduleDirectory, config, scratch], directory, environment: environment, stdin: names);
    }

    // Every module of the tree, every alias without wildcards, every tenth symbol, every builtin module.
    private static List<string> Names(string directory)
    {
        var names = new List<string>();
        foreach (string line in File.ReadLines(Path.Combine(directory, "modules.dep")))
        {
            string file = Path.GetFileName(line[..line.IndexOf(':', StringComparison.Ordinal)]);
            names.Add(file[..file.IndexOf(".ko", StringComparison.Ordinal)]);
        }

        foreach (string line in File.ReadLines(Path.Combine(directory, "modules.alias")))
        {
            string[] fields = line.Split(' ');
            if (fields.Length == 3 && fields[1].IndexOfAny(['*', '?', '[']) < 0)
            {
                names.Add(fields[1]);
            }
        }

        names.AddRange(File.ReadLines(Path.Combine(directory, "modules.symbols")).Where((_, i) => i % 10 == 0).Select(line => line.Split(' ')[1]));
        names.AddRange(File.ReadLines(Path.Combine(directory, "modules.builtin")).Select(line => Path.GetFileName(line)[..^3]));
        names.AddRange(ExtraNames);
        return names;
    }

    // Debian builds libkmod with --enable-debug: its default log function writes "libkmod: ERROR FILE:LINE
    // FUNCTION: "; ModKit's has no C file and line to give and writes "libkmod: FUNCTION: ".
    private static string Unprefixed(string stderr) => DebugPrefix().Replace(stderr, "libkmod: ");

    [GeneratedRegex(@"^libkmod: [A-Z]+ \S+:\d+ ", RegexOptions.Multiline)]
    private static partial Regex DebugPrefix();
}
