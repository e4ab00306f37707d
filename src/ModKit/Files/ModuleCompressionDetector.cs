using Microsoft.Win32.SafeHandles;

namespace ModKit.Files;

/// <summary>
/// Recognises a compressed module by its magic bytes, never by its name, as kmod does
/// (<c>libkmod/libkmod-file.c: kmod_file_open</c>).
/// </summary>
public static class ModuleCompressionDetector
{
    /// <summary>
    /// How many leading bytes detection needs: the longest magic (xz's). kmod reads exactly this many and
    /// rejects a shorter file with <see cref="Errno.EINVAL"/>, whatever its content.
    /// </summary>
    public const int MagicLength = 6;

    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xB5, 0x2F, 0xFD];
    private static ReadOnlySpan<byte> XzMagic => [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00];
    private static ReadOnlySpan<byte> GzipMagic => [0x1F, 0x8B];

    /// <summary>Recognises the compression from the first bytes of a file.</summary>
    /// <param name="header">The file's first <see cref="MagicLength"/> bytes (more are ignored).</param>
    /// <returns>The compression, or <see cref="ModuleCompression.None"/> for anything else (presumably ELF).</returns>
    /// <exception cref="ModuleFormatException">
    /// <paramref name="header"/> is shorter than <see cref="MagicLength"/> bytes (<see cref="Errno.EINVAL"/>, as kmod).
    /// </exception>
    public static ModuleCompression Detect(ReadOnlySpan<byte> header)
    {
        if (header.Length < MagicLength)
        {
            // kmod reads 6 bytes before anything else; a shorter file fails there, before ELF checks.
            ModuleFormatException.Throw($"file too short ({header.Length} bytes) to be a module", Errno.EINVAL);
        }

        // kmod's comparison order: zstd, xz, gzip.
        if (header.StartsWith(ZstdMagic))
        {
            return ModuleCompression.Zstd;
        }

        if (header.StartsWith(XzMagic))
        {
            return ModuleCompression.Xz;
        }

        return header.StartsWith(GzipMagic) ? ModuleCompression.Gzip : ModuleCompression.None;
    }

    /// <summary>Reads the first bytes of a file with <c>pread</c> (the file position is not used) and recognises the compression.</summary>
    /// <param name="file">An open module file.</param>
    /// <returns>The compression, or <see cref="ModuleCompression.None"/>.</returns>
    /// <exception cref="ModuleFormatException">The file is shorter than <see cref="MagicLength"/> bytes (<see cref="Errno.EINVAL"/>).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ModuleCompression Detect(SafeFileHandle file)
    {
        ArgumentNullException.ThrowIfNull(file);
        Span<byte> header = stackalloc byte[MagicLength];
        int total = 0;
        while (total < header.Length)
        {
            int n = RandomAccess.Read(file, header[total..], total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return Detect(header[..total]);
    }
}
