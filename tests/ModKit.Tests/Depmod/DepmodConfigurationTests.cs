using ModKit.Depmod;

namespace ModKit.Tests.Depmod;

public sealed class DepmodConfigurationTests
{
    [Fact]
    public void Load_MergesByFileName_FirstDirectoryWins_ConfOnly_InNameOrder()
    {
        string root = Directory.CreateTempSubdirectory("modkit-depmodd-").FullName;
        try
        {
            Directory.CreateDirectory($"{root}/etc");
            Directory.CreateDirectory($"{root}/lib");
            File.WriteAllText($"{root}/etc/b.conf", "search etc-b\n");
            File.WriteAllText($"{root}/lib/b.conf", "search lib-b\n");
            File.WriteAllText($"{root}/lib/a.conf", "search lib-a \\\n  built-in\nexclude x y\n# search comment\n");
            File.WriteAllText($"{root}/lib/c.txt", "search ignored\n");
            File.WriteAllText($"{root}/lib/.hidden.conf", "search hidden\n");
            File.WriteAllText($"{root}/lib/d.conf", "override m 4\\.4\\..* sub\noverride n 5.* sub\nexternal * /ext\nexternal 9 /no\noverride short\nfoo\n");
            var messages = new List<string>();

            var config = DepmodConfiguration.Load([$"{root}/etc", $"{root}/lib", $"{root}/missing"], "4.4.4", KmodProfile.Kmod30, (level, text) => messages.Add($"{level}: {text}"));

            Assert.Equal(["lib-a", "built-in", "etc-b"], config.Searches);
            Assert.Equal(["x", "y"], config.Excludes);
            Assert.Equal(["sub/m"], config.Overrides);
            Assert.Equal(["/ext"], config.Externals);
            Assert.Contains($"Info: All cfg files need .conf: {root}/lib/c.txt", messages);
            Assert.Contains($"Error: {root}/lib/d.conf:5: ignoring bad line starting with 'override'", messages);
            Assert.Contains($"Error: {root}/lib/d.conf:6: ignoring bad line starting with 'foo'", messages);
            Assert.Contains($"Info: {root}/lib/d.conf:2: override kernel did not match 5.*", messages);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void NoSearchLine_MeansUpdatesOnly()
    {
        Assert.Equal(["updates"], new DepmodConfiguration().EffectiveSearches);
    }
}
