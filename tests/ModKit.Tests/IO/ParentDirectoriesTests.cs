using ModKit.IO;
using ModKit.Tests.Support;

namespace ModKit.Tests.IO;

/// <summary>kmod's mkdir_parents: the folders above an output file, and the error kmod reports.</summary>
public sealed class ParentDirectoriesTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void MakesEveryMissingFolder()
    {
        string path = _root.Path + "/a//b///c/file";
        Assert.True(ParentDirectories.TryCreate(path, 0x1ED, out int errno));
        Assert.Equal(0, errno);
        Assert.True(Directory.Exists(_root.Path + "/a/b/c"));
        Assert.False(File.Exists(path));

        // Again: everything is there.
        Assert.True(ParentDirectories.TryCreate(path, 0x1ED, out _));
    }

    [Theory]
    [InlineData("file")]
    [InlineData("/file")]
    [InlineData("//file")]
    public void NothingToMakeAtTheTop(string path) => Assert.True(ParentDirectories.TryCreate(path, 0x1ED, out _));

    [Fact]
    public void AFileOnTheWayFailsWithTheErrorKmodPrints()
    {
        File.WriteAllText(_root.Path + "/file", "");

        // kmod returns ENOTDIR but prints errno: 0 when the file was the first thing it looked at...
        Assert.False(ParentDirectories.TryCreate(_root.Path + "/file/x", 0x1ED, out int first));
        Assert.Equal(0, first);

        // ...the failed stat of the folder below it otherwise.
        Assert.False(ParentDirectories.TryCreate(_root.Path + "/file/x/y/z", 0x1ED, out int below));
        Assert.Equal(Errno.ENOTDIR, below);
    }

    [Fact]
    public void MkdirsErrorIsReported()
    {
        Assert.False(ParentDirectories.TryCreate("/proc/modkit-nonexistent/x/y", 0x1ED, out int errno));
        Assert.Equal(Errno.ENOENT, errno);
    }
}
