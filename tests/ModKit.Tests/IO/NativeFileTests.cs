using ModKit.IO;
using ModKit.Tests.Support;

namespace ModKit.Tests.IO;

/// <summary>The plain system-call file access modprobe's short runs use: results and error numbers as kmod sees them.</summary>
public sealed class NativeFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ReadAllReadsRegularFilesOfEverySize()
    {
        foreach (int size in new[] { 0, 1, 4095, 4096, 4097, 100_000 })
        {
            byte[] expected = Enumerable.Range(0, size).Select(i => (byte)(i * 7)).ToArray();
            string path = Path.Combine(_temp.Path, $"f{size}");
            File.WriteAllBytes(path, expected);
            Assert.Equal(0, NativeFile.ReadAll(path, out byte[] contents));
            Assert.Equal(expected, contents);
        }
    }

    [Fact]
    public void ReadAllStopsAtItsLimit()
    {
        string path = Path.Combine(_temp.Path, "big");
        File.WriteAllBytes(path, new byte[10_000]);
        Assert.Equal(Errno.EFBIG, NativeFile.ReadAll(path, out byte[] contents, 9_999));
        Assert.Empty(contents);
        Assert.Equal(0, NativeFile.ReadAll(path, out contents, 10_000));
        Assert.Equal(10_000, contents.Length);

        // An endless file ends at the limit instead of taking all memory.
        Assert.Equal(Errno.EFBIG, NativeFile.ReadAll("/dev/zero", out _, 1 << 20));
    }

    [Fact]
    public void ReadAllReadsProcFilesWhoseSizeIsUnknown()
    {
        Assert.Equal(0, NativeFile.ReadAll("/proc/self/status", out byte[] contents));
        Assert.StartsWith("Name:", System.Text.Encoding.ASCII.GetString(contents));
    }

    [Fact]
    public void FailuresAreErrorNumbers()
    {
        string file = Path.Combine(_temp.Path, "file");
        File.WriteAllText(file, "x");
        Assert.Equal(Errno.ENOENT, NativeFile.ReadAll(Path.Combine(_temp.Path, "missing"), out byte[] contents));
        Assert.Empty(contents);
        Assert.Equal(Errno.EISDIR, NativeFile.ReadAll(_temp.Path, out _));
        Assert.Equal(Errno.ENOTDIR, NativeFile.ReadAll(file + "/below", out _));
        Assert.Equal(Errno.EISDIR, NativeFile.MapOrRead(_temp.Path, 1, out _, out _, out _));
        Assert.Equal(Errno.ENOENT, NativeFile.MapOrRead(Path.Combine(_temp.Path, "missing"), 1, out _, out _, out _));
        Assert.Equal(Errno.ENOTDIR, NativeFile.ListDirectory(file, []));
        Assert.Equal(Errno.ENOENT, NativeFile.ListDirectory(Path.Combine(_temp.Path, "missing"), []));
        Assert.Equal(0, NativeFile.Stat(file));
        Assert.Equal(0, NativeFile.Stat(_temp.Path));
        Assert.Equal(Errno.ENOTDIR, NativeFile.Stat(file + "/below"));
        Assert.Equal(Errno.ENOENT, NativeFile.Stat(Path.Combine(_temp.Path, "missing")));
    }

    [Fact]
    public void APathWithANulByteNamesNoFile()
    {
        // Cut at the NUL, "file\0/../x" would name "file": it must name nothing instead.
        string file = Path.Combine(_temp.Path, "file");
        File.WriteAllText(file, "x");
        Assert.Equal(Errno.ENOENT, NativeFile.ReadAll(file + "\0/../x", out _));
        Assert.Equal(Errno.ENOENT, NativeFile.Stat(file + "\0"));
        Assert.Equal(Errno.ENOENT, NativeFile.MapOrRead(file + "\0", 1, out _, out _, out _));
        Assert.Equal(Errno.ENOENT, NativeFile.ListDirectory(_temp.Path + "\0", []));
    }

    [Fact]
    public void MapOrReadMapsLargeFilesAndReadsSmallOnes()
    {
        byte[] expected = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();
        string path = Path.Combine(_temp.Path, "index");
        File.WriteAllBytes(path, expected);

        Assert.Equal(0, NativeFile.MapOrRead(path, 4096, out nint address, out long length, out byte[]? contents));
        Assert.Null(contents);
        Assert.NotEqual(0, address);
        Assert.Equal(expected.Length, length);
        unsafe
        {
            Assert.Equal(expected, new ReadOnlySpan<byte>((void*)address, (int)length).ToArray());
        }

        NativeFile.Unmap(address, length);

        Assert.Equal(0, NativeFile.MapOrRead(path, expected.Length + 1, out address, out length, out contents));
        Assert.Equal(0, address);
        Assert.Equal(expected, contents);
        Assert.Equal(expected.Length, length);

        // What cannot be mapped (a /proc file) is read.
        Assert.Equal(0, NativeFile.MapOrRead("/proc/self/status", 1, out address, out _, out contents));
        Assert.Equal(0, address);
        Assert.NotEmpty(contents!);
    }

    [Fact]
    public void ListDirectoryGivesNamesAndTypes()
    {
        File.WriteAllText(Path.Combine(_temp.Path, "a.conf"), "");
        Directory.CreateDirectory(Path.Combine(_temp.Path, "sub.conf"));
        File.CreateSymbolicLink(Path.Combine(_temp.Path, "link.conf"), "a.conf");
        for (int i = 0; i < 300; i++)
        {
            // More entries than one 4 KiB getdents64 buffer holds.
            File.WriteAllText(Path.Combine(_temp.Path, $"many-{i:D3}-{new string('x', 40)}"), "");
        }

        var entries = new List<(string Name, byte Type)>();
        Assert.Equal(0, NativeFile.ListDirectory(_temp.Path, entries));
        var names = entries.Select(e => e.Name).ToHashSet();
        Assert.Equal(303, entries.Count);
        Assert.DoesNotContain(".", names);
        Assert.DoesNotContain("..", names);
        Assert.Equal(NativeFile.RegularFileType, entries.Single(e => e.Name == "a.conf").Type);
        Assert.NotEqual(NativeFile.RegularFileType, entries.Single(e => e.Name == "sub.conf").Type);
        Assert.NotEqual(NativeFile.RegularFileType, entries.Single(e => e.Name == "link.conf").Type);
    }
}
