using ModKit.Elf;
using ModKit.IO;
using ModKit.Tests.Elf;

namespace ModKit.Tests.IO;

/// <summary>Both byte sources read the same bytes and reject the same out-of-range requests.</summary>
public sealed class ByteSourceTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();

    public void Dispose() => File.Delete(_path);

    private IEnumerable<ByteSource> Sources(byte[] data)
    {
        File.WriteAllBytes(_path, data);
        yield return new MemoryByteSource(data);
        var handle = File.OpenHandle(_path);
        yield return new FileByteSource(handle, RandomAccess.GetLength(handle));
    }

    [Fact]
    public void Ranges_inside_are_read_and_ranges_outside_throw()
    {
        byte[] data = [.. Enumerable.Range(0, 100).Select(i => (byte)i)];
        foreach (var source in Sources(data))
        {
            using (source)
            {
                Assert.Equal(100, source.Length);
                Assert.Equal(data[10..20], source.Read(10, 10));
                Assert.Equal(data[90..], source.Read(90, 10));
                Assert.Empty(source.Read(100, 0));
                foreach ((long offset, long count) in new[] { (-1L, 1L), (0L, -1L), (101L, 0L), (91L, 10L), (0L, 101L), (1L, long.MaxValue), (long.MaxValue, 1L) })
                {
                    Assert.Throws<ModuleFormatException>(() => source.Read(offset, count));
                }

                Assert.Throws<ModuleFormatException>(() => source.ReadExactly(95, new byte[6]));
            }
        }
    }

    [Theory]
    [AllElfFormats]
    public void ElfFile_reads_the_same_over_either_source(ElfClass elfClass, ElfByteOrder order)
    {
        var builder = new SyntheticElf(elfClass, order);
        builder.AddSection(".modinfo", SyntheticElf.Strings("license=GPL"));
        builder.AddSection("__versions", builder.VersionRecord(3, "module_layout"));
        foreach (var source in Sources(builder.Build()))
        {
            using (source)
            {
                var elf = ElfFile.Open(source);
                Assert.True(elf.TryReadSection(".modinfo", out byte[] modinfo));
                Assert.Equal(SyntheticElf.Strings("license=GPL"), modinfo);
                Assert.Equal([new ModuleSymbol("module_layout", 3, SymbolBinding.Undefined)], ModuleSymbols.GetVersions(elf));
            }
        }
    }
}
