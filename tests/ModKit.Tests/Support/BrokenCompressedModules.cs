using ModKit.Tests.Files;

namespace ModKit.Tests.Support;

/// <summary>
/// Compressed module files that kmod 30 and kmod 34.2 read differently or fail to read, for the differential tests of
/// depmod and modprobe: zstd made from a pipe (no content size in the frame header: kmod 30 streams it, kmod 34.2
/// cannot size it), cut and corrupt xz and zstd, two zstd frames, and an xz file large enough that kmod 34.2's retries
/// read on from the middle of it. Each module exports <c>&lt;name&gt;_fn</c> and has the alias <c>&lt;name&gt;-alias</c>.
/// </summary>
internal static class BrokenCompressedModules
{
    /// <summary>Writes the files into <paramref name="directory"/>.</summary>
    /// <param name="directory">An existing folder.</param>
    /// <returns>The file names, in the order written.</returns>
    public static List<string> Write(string directory)
    {
        var names = new List<string>();
        void Put(string name, byte[] data)
        {
            File.WriteAllBytes(Path.Combine(directory, name), data);
            names.Add(name);
        }

        byte[] Image(string name, int padding = 0)
        {
            var builder = new TestModuleBuilder().Exports(name + "_fn").Needs("printk").Info("alias", name + "-alias");
            if (padding > 0)
            {
                // Random hex compresses to about half: the xz file outgrows kmod's 8 KiB reads.
                var random = new Random(padding);
                builder.Info("description", string.Concat(Enumerable.Range(0, padding).Select(_ => random.Next(16).ToString("x"))));
            }

            return builder.Build();
        }

        static byte[] Flip(byte[] data, int at)
        {
            data[at] ^= 0x55;
            return data;
        }

        Put("xz_good.ko.xz", CompressionTool.CompressFile(Image("xz_good"), "xz"));
        Put("zst_good.ko.zst", CompressionTool.CompressFile(Image("zst_good"), "zstd", "-q"));
        Put("zst_streamed.ko.zst", CompressionTool.CompressPipe(Image("zst_streamed"), "zstd", "-q"));
        byte[] xz = CompressionTool.CompressFile(Image("xz_cut"), "xz");
        Put("xz_cut.ko.xz", xz[..(xz.Length / 2)]);
        xz = CompressionTool.CompressFile(Image("xz_corrupt"), "xz");
        Put("xz_corrupt.ko.xz", Flip(xz, xz.Length / 2));
        Put("xz_magic_only.ko.xz", xz[..6]);
        byte[] zst = CompressionTool.CompressFile(Image("zst_cut"), "zstd", "-q");
        Put("zst_cut.ko.zst", zst[..(zst.Length / 2)]);
        zst = CompressionTool.CompressFile(Image("zst_corrupt"), "zstd", "-q");
        Put("zst_corrupt.ko.zst", Flip(zst, zst.Length / 2));
        zst = CompressionTool.CompressPipe(Image("zst_streamed_cut"), "zstd", "-q");
        Put("zst_streamed_cut.ko.zst", zst[..(zst.Length / 2)]);
        zst = CompressionTool.CompressFile(Image("zst_two_frames"), "zstd", "-q");
        Put("zst_two_frames.ko.zst", [.. zst, .. zst]);
        xz = CompressionTool.CompressFile(Image("xz_large_corrupt", padding: 60000), "xz");
        Put("xz_large_corrupt.ko.xz", Flip(xz, 200));
        return names;
    }
}
