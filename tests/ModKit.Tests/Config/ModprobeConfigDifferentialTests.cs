using System.Text;
using ModKit.Config;
using ModKit.Tests.Support;
using Xunit;

namespace ModKit.Tests.Config;

/// <summary>
/// modprobe.d files with every directive and hostile lines, read by <see cref="ModprobeConfigLoader"/> and
/// printed by <see cref="ModprobeConfigFormatter"/>, against the configuration part of kmod's
/// <c>modprobe -c -C ...</c> and its stderr (kmod-behavior.md §2.1–2.3): kmod 30 and kmod 34.2, each with
/// its profile (weakdep, *.alias files, modules.weakdep, dangling links, a backslash at the end of a file).
/// </summary>
public sealed class ModprobeConfigDifferentialTests : IDisposable
{
    private const string EndOfConfig = "\n# End of configuration files. Dumping indexes now:\n";
    private const string KernelVersion = "9.9.9-test";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Write(string relative, string text)
    {
        string path = Path.Combine(_temp.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));
        return path;
    }

    private void WriteFixture()
    {
        Write("a/10-main.conf",
            "# comment\n" +
            "alias my-alias snd-hda-intel\n" +
            "alias pci:v*d[0-9-a]* foo-bar\n" +
            "\toptions foo a=1\toption\\\n  b=2\n" +
            "blacklist evil-mod\n" +
            "install x-y /bin/true  --opt\tz $CMDLINE_OPTS\n" +
            "remove x-y /bin/false\n" +
            "softdep sd-a pre: a-b c post: d\n" +
            "softdep sd-b post: e pre: f pre: g\n" +
            "softdep sd-c  pre: g\n" +
            "softdep sd-d\tpre: h\n" +
            "softdep sd-e x\n" +
            "softdep sd-f pre:   i\t j   \n" +
            "weakdep w-a b c\n" +
            "  # indented comment\n" +
            "frobnicate x\n" +
            "alias onlyone\n" +
            "options nothing\n" +
            "options nothing \n" +
            "install nothing\n" +
            "remove\n" +
            "softdep nothing\n" +
            "alias bad] x\n" +
            "alias x [unterminated\n" +
            "include /etc/foo\n" +
            "config /etc/bar\n" +
            "blacklist\n" +
            "   \n" +
            "\n" +
            "alias a\\b c\\\\d\n" +
            "\\\n\n" +
            "options trailing   \n" +
            "alias crlf x\r\n" +
            "alias two-lines \\\n \\\n   target\n" +
            "frob\\\nnicate after-continuation\n" +
            "options nul-mod a=1\0ignored\n" +
            "blacklist   spaced-out   extra\n" +
            "alias last-line-no-newline z");
        Write("a/sub.conf/x.conf", "alias in-subdir x\n");
        Write("b/10-main.conf", "alias shadowed-by-a x\n");
        Write("b/05-b.conf", "alias b-only y\nblacklist b-black\n");
        Write("b/notconf.txt", "alias ignored z\n");
        Write("b/.hidden.conf", "alias hidden z\n");
        Write("b/x.alias", "alias dot-alias-file z\n");
        Write("b/.conf", "alias dot-conf z\n");
        Write("b/zz-cmd.conf", "install zz /bin/sh -c 'echo a | cat'\nremove zz\tcmd\twith\ttabs\n");
        Write("single/07-single.conf", "options single 1\nbogus\n");
        Write("single/05-b.conf", "alias single-shadowed-by-b z\n");
        Write($"root/lib/modules/{KernelVersion}/modules.softdep", "# from depmod\nsoftdep from-depmod pre: x post: y\n");
        Write($"root/lib/modules/{KernelVersion}/modules.weakdep", "# from depmod\nweakdep from-depmod-w x y\n");
        Write("a/20-eof.conf", "alias eof-alias eof-target\noptions eof-mod a=1 \\");
        File.CreateSymbolicLink(Path.Combine(_temp.Path, "a/15-dangling.conf"), Path.Combine(_temp.Path, "nowhere"));
    }

    [Theory]
    [InlineData("30")]
    [InlineData("34")]
    public void ConfigPartAndErrorsMatchKmod(string kmodRelease)
    {
        var oracle = KmodOracle.Named(kmodRelease);
        WriteFixture();
        string a = Path.Combine(_temp.Path, "a");
        string b = Path.Combine(_temp.Path, "b");
        string single = Path.Combine(_temp.Path, "single/07-single.conf");
        string singleShadowed = Path.Combine(_temp.Path, "single/05-b.conf");
        string missing = Path.Combine(_temp.Path, "missing");
        string root = Path.Combine(_temp.Path, "root");

        var kmod = oracle.Run("modprobe", ["-c", "-C", a, "-C", b, "-C", single, "-C", singleShadowed, "-C", missing, "-d", root, "-S", KernelVersion]);
        Assert.Equal(0, kmod.ExitCode);
        string kmodOut = kmod.StdoutText;
        int end = kmodOut.IndexOf(EndOfConfig, StringComparison.Ordinal);
        Assert.True(end >= 0, kmodOut);

        var reported = new List<ConfigDiagnostic>();
        var config = new ModprobeConfigLoader
        {
            Profile = oracle.Profile,
            ConfigPaths = [a, b, single, singleShadowed, missing],
            ModuleDirectory = Path.Combine(root, "lib/modules", KernelVersion),
            KernelCommandLine = File.ReadAllText("/proc/cmdline"),
            OnDiagnostic = reported.Add,
        }.Load();

        Assert.Equal(kmodOut[..end], ModprobeConfigFormatter.Format(config));
        string stderr = string.Concat(config.Diagnostics.Select(d => d.Text + "\n"));
        Assert.Equal(kmod.StderrText, stderr);
        Assert.Equal(config.Diagnostics, reported);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("34")]
    public void DefaultPathsUnderARootOverrideByFileName(string kmodRelease)
    {
        // kmod 30's list is /etc, /run, /usr/local/lib, /lib (34.2 adds /usr/lib before /lib); -d does not
        // re-root it, so kmod gets the same folders through -C, in the same order.
        var oracle = KmodOracle.Named(kmodRelease);
        Write("root/etc/modprobe.d/50-x.conf", "alias from-etc x\nbogus-etc\n");
        Write("root/etc/modprobe.d/60-over.conf", "alias over-etc x\n");
        Write("root/run/modprobe.d/60-over.conf", "alias over-run-hidden x\n");
        Write("root/run/modprobe.d/55-run.conf", "options run-mod r=1\n");
        Write("root/usr/local/lib/modprobe.d/40-local.conf", "blacklist local-mod\n");
        Write("root/usr/local/lib/modprobe.d/50-x.conf", "alias local-hidden x\n");
        Write("root/lib/modprobe.d/50-x.conf", "alias lib-hidden x\n");
        Write("root/lib/modprobe.d/10-first.conf", "install first /bin/true\n");
        Write("root/lib/modprobe.d/70-lib.conf", "softdep lib-mod post: after\nbogus-lib\n");
        Write("root/usr/lib/modprobe.d/70-lib.conf", "alias usr-lib-hides-lib x\n");
        Write("root/usr/lib/modprobe.d/80-usr.conf", "weakdep usr-mod a b\n");
        string target = Write("targets/linked.txt", "alias through-symlink x\n");
        File.CreateSymbolicLink(Path.Combine(_temp.Path, "root/lib/modprobe.d/20-link.conf"), target);
        Directory.CreateDirectory(Path.Combine(_temp.Path, "targets/dir"));
        File.CreateSymbolicLink(Path.Combine(_temp.Path, "root/lib/modprobe.d/30-dirlink.conf"), Path.Combine(_temp.Path, "targets/dir"));
        string root = Path.Combine(_temp.Path, "root");

        var args = new List<string> { "-c" };
        foreach (string path in oracle.Profile.ModprobeConfigDirectories)
        {
            args.AddRange(["-C", root + path]);
        }

        args.AddRange(["-d", root, "-S", KernelVersion]);
        var kmod = oracle.Run("modprobe", args);
        Assert.Equal(0, kmod.ExitCode);
        string kmodOut = kmod.StdoutText;
        int end = kmodOut.IndexOf(EndOfConfig, StringComparison.Ordinal);
        Assert.True(end >= 0, kmodOut);

        var config = new ModprobeConfigLoader { Profile = oracle.Profile, RootDirectory = root + "/", KernelCommandLine = File.ReadAllText("/proc/cmdline") }.Load();
        Assert.Equal(kmodOut[..end], ModprobeConfigFormatter.Format(config));
        Assert.Equal(kmod.StderrText, string.Concat(config.Diagnostics.Select(d => d.Text + "\n")));
        string[] expected = oracle.Profile.ModprobeConfigDirectories.Contains("/usr/lib/modprobe.d")
            ? ["10-first.conf", "20-link.conf", "40-local.conf", "50-x.conf", "55-run.conf", "60-over.conf", "70-lib.conf", "80-usr.conf"]
            : ["10-first.conf", "20-link.conf", "40-local.conf", "50-x.conf", "55-run.conf", "60-over.conf", "70-lib.conf"];
        Assert.Equal(expected, config.Files.Select(Path.GetFileName));
        Assert.StartsWith(root + "/etc/modprobe.d/", config.Files[3], StringComparison.Ordinal);
    }

    [Fact]
    public void ProcCmdlineIsReadUnderTheRoot()
    {
        Write("root/proc/cmdline", "quiet foo-bar.baz=1 modprobe.blacklist=z\n");
        var config = new ModprobeConfigLoader { Profile = KmodProfile.Kmod30, RootDirectory = Path.Combine(_temp.Path, "root") }.Load();
        Assert.Equal("blacklist z\noptions foo_bar baz=1\n", ModprobeConfigFormatter.Format(config));
    }

    [Theory]
    [InlineData("30")]
    [InlineData("34")]
    public void KernelCommandLineMatchesKmod(string kmodRelease)
    {
        // kmod always reads the real /proc/cmdline; an empty config shows only its entries.
        var oracle = KmodOracle.Named(kmodRelease);
        string empty = Write("empty/empty.conf", string.Empty);
        var kmod = oracle.Run("modprobe", ["-c", "-C", empty, "-d", Path.Combine(_temp.Path, "root"), "-S", KernelVersion]);
        Assert.Equal(0, kmod.ExitCode);
        string kmodOut = kmod.StdoutText;
        int end = kmodOut.IndexOf(EndOfConfig, StringComparison.Ordinal);

        var config = new ModprobeConfigLoader { Profile = oracle.Profile, ConfigPaths = [empty] }.Load();
        Assert.Equal(kmodOut[..end], ModprobeConfigFormatter.Format(config));
        Assert.Equal(kmod.StderrText, string.Concat(config.Diagnostics.Select(d => d.Text + "\n")));
    }
}
