using ModKit.Files;

namespace ModKit.Tests.Files;

public class ModuleFileNameTests
{
    [Theory]
    [InlineData("e1000e.ko", true, "e1000e")]
    [InlineData("kernel/drivers/net/dummy.ko.xz", true, "kernel/drivers/net/dummy")]
    [InlineData("dummy.ko.zst", true, "dummy")]
    [InlineData("dummy.ko.gz", true, "dummy")]
    [InlineData("/lib/modules/x/a.ko", true, "/lib/modules/x/a")]
    [InlineData("x.ko.bz2", false, "x.ko.bz2")]
    [InlineData("x.KO", false, "x.KO")]
    [InlineData("x.o", false, "x.o")]
    [InlineData("x.xz", false, "x.xz")]
    [InlineData("x.ko.zst.bak", false, "x.ko.zst.bak")]
    [InlineData(".ko", false, ".ko")] // kmod: the extension must not be the whole path
    [InlineData(".ko.xz", false, ".ko.xz")]
    [InlineData("a.ko.xz", true, "a")]
    [InlineData("", false, "")]
    public void RecognisesAndStripsKmodExtensions(string path, bool isModule, string stripped)
    {
        Assert.Equal(isModule, ModuleFileName.HasModuleExtension(path));
        Assert.Equal(stripped, ModuleFileName.StripModuleExtension(path));
        Assert.Equal(stripped, ModuleFileName.StripModuleExtension(path.AsSpan()).ToString());
    }

    [Fact]
    public void ListsTheFourExtensions()
    {
        Assert.Equal([".ko", ".ko.gz", ".ko.xz", ".ko.zst"], ModuleFileName.Extensions);
    }
}
