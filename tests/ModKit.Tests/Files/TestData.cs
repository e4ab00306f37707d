using System.Text;

namespace ModKit.Tests.Files;

internal static class TestData
{
    private static readonly Lazy<byte[]> LazyModule = new(() => MakeModuleLike(300 * 1024, seed: 1));

    /// <summary>
    /// 300 KiB that compress like a module (ELF magic, text, tables, some incompressible bytes): large
    /// enough for several zstd blocks and several reads of the decoders' input buffer.
    /// </summary>
    public static byte[] Module => LazyModule.Value;

    public static byte[] MakeModuleLike(int size, int seed)
    {
        var random = new Random(seed);
        var data = new byte[size];
        "\u007fELF"u8.CopyTo(data);
        int position = 64;
        while (position < size)
        {
            int kind = random.Next(3);
            int length = Math.Min(size - position, random.Next(64, 4096));
            Span<byte> block = data.AsSpan(position, length);
            if (kind == 0)
            {
                random.NextBytes(block);
            }
            else if (kind == 1)
            {
                byte[] text = Encoding.ASCII.GetBytes($"alias=pci:v{random.Next():X8}d*sv*sd*bc02sc00i* license=GPL ");
                for (int i = 0; i < block.Length; i++)
                {
                    block[i] = text[i % text.Length];
                }
            }
            else
            {
                for (int i = 0; i < block.Length; i++)
                {
                    block[i] = (byte)(i / 8 % 7);
                }
            }

            position += length;
        }

        return data;
    }
}
