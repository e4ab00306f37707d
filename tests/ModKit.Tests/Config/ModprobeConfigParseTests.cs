using ModKit.Config;
using Xunit;

namespace ModKit.Tests.Config;

/// <summary><see cref="ModprobeConfig.Parse"/>: the model behind the printed form.</summary>
public sealed class ModprobeConfigParseTests
{
    [Fact]
    public void SoftdepListsAndWeakdepDialect()
    {
        var config = ModprobeConfig.Parse("softdep a-b pre: c-d e post: f\nweakdep w x y\n", "t.conf", parseWeakDependencies: true);
        var softdep = Assert.Single(config.SoftDependencies);
        Assert.Equal("a_b", softdep.ModuleName);
        Assert.Equal(["c-d", "e"], softdep.Pre);
        Assert.Equal(["f"], softdep.Post);
        var weakdep = Assert.Single(config.WeakDependencies);
        Assert.Equal(["x", "y"], weakdep.Modules);
        Assert.Empty(config.Diagnostics);
        Assert.Equal("softdep a_b pre: c-d epost: f\nweakdep w x y\n", ModprobeConfigFormatter.Format(config));
    }

    [Fact]
    public void WeakdepIsABadLineForKmod30()
    {
        var config = ModprobeConfig.Parse("\n\nweakdep w x\n", "t.conf");
        Assert.Empty(config.WeakDependencies);
        Assert.Equal("libkmod: ERROR: kmod_config_parse: t.conf line 3: ignoring bad line starting with 'weakdep'", Assert.Single(config.Diagnostics).Text);
    }

    [Fact]
    public void AnEndlessConfigFileIsSkippedNotReadForever()
    {
        // kmod reads -C /dev/zero until memory runs out; ModKit stops at MaxFileLength and skips the file.
        var config = new ModprobeConfigLoader { Profile = KmodProfile.Kmod30, ConfigPaths = ["/dev/zero"], KernelCommandLine = "" }.Load();
        Assert.Empty(config.Files);
        Assert.Empty(config.Diagnostics);
    }
}
