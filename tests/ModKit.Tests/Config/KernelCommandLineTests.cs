using ModKit.Config;
using Xunit;

namespace ModKit.Tests.Config;

/// <summary>
/// The kernel command line vectors of kmod's testsuite (<c>test-modprobe/module-param-kcmdline*</c>,
/// kmod-behavior.md §2.3).
/// </summary>
public sealed class KernelCommandLineTests
{
    private static string Format(string commandLine) =>
        ModprobeConfigFormatter.Format(new ModprobeConfigLoader { Profile = KmodProfile.Kmod30, ConfigPaths = [], KernelCommandLine = commandLine }.Load());

    [Theory]
    [InlineData("psmouse.foo psmouse.bar=1", "options psmouse foo\noptions psmouse bar=1\n")]
    [InlineData("psmouse.foobar=\"test 1\" psmouse.\"invalid option\" \" notamodule\"", "options psmouse foobar=\"test 1\"\n")]
    [InlineData("ivrs_acpihid[14:00.5]=AMD0020:00", "")]
    [InlineData("modprobe.blacklist=foo,bar modprobe.blacklist=foo2", "blacklist foo\nblacklist bar\nblacklist foo2\n")]
    [InlineData("\"parport.dyndbg=file drivers/parport/ieee1284_ops.c +mpf\"", "options parport dyndbg=\"file drivers/parport/ieee1284_ops.c +mpf\"\n")]
    [InlineData("snd-hda.model=x a.b.c =x.y quiet x.y=z\n", "options snd_hda model=x\noptions x y=z\n")]
    [InlineData("", "")]
    public void MatchesKmodTestsuite(string commandLine, string expected) => Assert.Equal(expected, Format(commandLine));

    [Fact]
    public void BadModuleNameIsReported()
    {
        var config = new ModprobeConfigLoader { Profile = KmodProfile.Kmod30, ConfigPaths = [], KernelCommandLine = "a]b.c=1" }.Load();
        Assert.Empty(config.Options);
        var diagnostic = Assert.Single(config.Diagnostics);
        Assert.Equal("libkmod: ERROR: kcmdline_parse_result: Ignoring bad option on kernel command line while parsing module name: 'a]b'", diagnostic.Text);
    }
}
