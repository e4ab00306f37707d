using Microsoft.Win32.SafeHandles;
using ModKit.Interop;

namespace ModKit.Files;

/// <summary>
/// Decompresses a whole module file into memory, for the ELF reader and for <c>init_module</c>
/// (<c>libkmod/libkmod-file.c</c>). xz and zstd are decoded by the system's liblzma.so.5 and libzstd.so.1
/// and gzip by zlib (libz.so.1): the libraries kmod itself uses, loaded on first use.
/// </summary>
/// <remarks>
/// <para>Errors carry the error number kmod 30 reports for the same file (its tools print only
/// <c>strerror</c> of it; kmod 30 logs no decompressor message):</para>
/// <list type="bullet">
/// <item>corrupt or truncated xz, corrupt zstd, corrupt or truncated gzip: <see cref="Errno.EINVAL"/>;</item>
/// <item>truncated zstd is <em>not</em> an error, as in kmod 30: the bytes decoded up to the cut are returned
/// and the ELF checks decide (see <see cref="Decompress(SafeFileHandle, ModuleCompression, int, ZstdDecoding)"/>);</item>
/// <item>output larger than the limit: <see cref="Errno.EFBIG"/> (kmod has no limit; see <see cref="DefaultMaxDecompressedSize"/>);</item>
/// <item>the library is not installed: <see cref="Errno.ENOSYS"/>, the number kmod 34+ uses for a decompressor it was
/// built without (kmod 30 would not even recognise the file and fail its ELF check with ENOEXEC).</item>
/// </list>
/// <para>All members are thread-safe.</para>
/// </remarks>
public static class ModuleDecompressor
{
    /// <summary>
    /// The default limit on the decompressed size: 1 GiB. The largest in-tree modules are tens of MiB, and the
    /// kernel copies a module into vmalloc memory, so no loadable module comes near; kmod has no limit, but a
    /// hostile file decompressing to many GiB (a "zip bomb") must fail cleanly instead of exhausting memory.
    /// </summary>
    public const int DefaultMaxDecompressedSize = 1 << 30;

    /// <summary>Decompresses a whole module file, read with <c>pread</c> from offset 0 (the file position is neither used nor changed).</summary>
    /// <param name="file">An open module file.</param>
    /// <param name="compression">
    /// How the file is compressed, normally from <see cref="ModuleCompressionDetector.Detect(SafeFileHandle)"/>;
    /// <see cref="ModuleCompression.None"/> returns the file's bytes unchanged.
    /// </param>
    /// <param name="maxDecompressedSize">The largest decompressed size accepted.</param>
    /// <returns>The decompressed module, an array of exactly its size.</returns>
    /// <remarks>
    /// A truncated zstd file returns the bytes decoded before the cut, possibly none, as kmod 30 does;
    /// the ELF reader then rejects the image (ENOEXEC or EINVAL) unless only the checksum or the signature was cut.
    /// </remarks>
    /// <exception cref="ModuleFormatException">
    /// The data is corrupt or truncated (<see cref="Errno.EINVAL"/>), larger than <paramref name="maxDecompressedSize"/>
    /// (<see cref="Errno.EFBIG"/>), or the needed library is not installed (<see cref="Errno.ENOSYS"/>).
    /// </exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDecompressedSize"/> is negative or not below <see cref="Array.MaxLength"/>.</exception>
    /// <param name="zstd">How zstd data is decoded: streaming as kmod 30 (the default) or whole frames as kmod 34.</param>
    public static byte[] Decompress(SafeFileHandle file, ModuleCompression compression, int maxDecompressedSize = DefaultMaxDecompressedSize,
        ZstdDecoding zstd = ZstdDecoding.Streaming)
    {
        ArgumentNullException.ThrowIfNull(file);
        CheckLimit(maxDecompressedSize);
        using var input = new CompressedInput(file);
        return Decode(input, compression, maxDecompressedSize, zstd).ToExactArray();
    }

    /// <summary>Decompresses a module read from a stream's current position to its end.</summary>
    /// <param name="source">The compressed module.</param>
    /// <param name="compression">How the data is compressed; <see cref="ModuleCompression.None"/> returns the bytes unchanged.</param>
    /// <param name="maxDecompressedSize">The largest decompressed size accepted.</param>
    /// <returns>The decompressed module, an array of exactly its size.</returns>
    /// <remarks>Behaves as <see cref="Decompress(SafeFileHandle, ModuleCompression, int, ZstdDecoding)"/>.</remarks>
    /// <exception cref="ModuleFormatException">
    /// The data is corrupt or truncated (<see cref="Errno.EINVAL"/>), larger than <paramref name="maxDecompressedSize"/>
    /// (<see cref="Errno.EFBIG"/>), or the needed library is not installed (<see cref="Errno.ENOSYS"/>).
    /// </exception>
    /// <exception cref="IOException">The stream cannot be read.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDecompressedSize"/> is negative or not below <see cref="Array.MaxLength"/>.</exception>
    public static byte[] Decompress(Stream source, ModuleCompression compression, int maxDecompressedSize = DefaultMaxDecompressedSize)
    {
        ArgumentNullException.ThrowIfNull(source);
        CheckLimit(maxDecompressedSize);
        using var input = new CompressedInput(source);
        return Decode(input, compression, maxDecompressedSize).ToExactArray();
    }

    /// <summary>Whether the library that decodes <paramref name="compression"/> can be loaded on this system.</summary>
    /// <param name="compression">A compression.</param>
    /// <returns><see langword="true"/> when <see cref="Decompress(SafeFileHandle, ModuleCompression, int, ZstdDecoding)"/> can decode it.</returns>
    public static unsafe bool IsSupported(ModuleCompression compression)
    {
        try
        {
            return compression switch
            {
                ModuleCompression.None => true,
                ModuleCompression.Gzip => Zlib.Version() is not null,
                ModuleCompression.Xz => Lzma.VersionNumber() > 0,
                ModuleCompression.Zstd => Zstd.VersionNumber() > 0,
                _ => false,
            };
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Decompresses into a buffer rented from the shared pool (no exact-size copy): for readers that
    /// open thousands of modules one after another and release each image when done.
    /// </summary>
    internal static DecodedImage DecompressPooled(SafeFileHandle file, ModuleCompression compression, ZstdDecoding zstd = ZstdDecoding.Streaming,
        long offset = 0)
    {
        using var input = new CompressedInput(file, offset);
        return Decode(input, compression, DefaultMaxDecompressedSize, zstd);
    }

    private static DecodedImage Decode(CompressedInput input, ModuleCompression compression, int limit, ZstdDecoding zstd = ZstdDecoding.Streaming)
    {
        try
        {
            return compression switch
            {
                ModuleCompression.None => Copy(input, limit),
                ModuleCompression.Gzip => GzipDecoder.Decode(input, limit),
                ModuleCompression.Xz => XzDecoder.Decode(input, limit),
                ModuleCompression.Zstd => zstd == ZstdDecoding.WholeFrames ? ZstdDecoder.DecodeWhole(input, limit) : ZstdDecoder.Decode(input, limit),
                _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "unknown compression"),
            };
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // The runtime's message only lists the paths it probed.
            throw new ModuleFormatException(
                $"cannot decompress {compression} module: {LibraryName(compression)} cannot be loaded",
                Errno.ENOSYS);
        }
    }

    private static DecodedImage Copy(CompressedInput input, int limit)
    {
        // One byte of room beyond the file's length, so that the read that finds its end needs no larger buffer.
        using var output = new DecompressionOutput(limit, input.Length + 1, input.Length);
        while (input.ReadDirect(output.GetFreeSpan()) is int count and > 0)
        {
            output.Advance(count);
        }

        return output.Detach();
    }

    private static string LibraryName(ModuleCompression compression) => compression switch
    {
        ModuleCompression.Gzip => Zlib.Library,
        ModuleCompression.Xz => Lzma.Library,
        _ => Zstd.Library,
    };

    private static void CheckLimit(int maxDecompressedSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDecompressedSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(maxDecompressedSize, Array.MaxLength);
    }
}
