using System.Runtime.InteropServices;
using ModKit.Interop;

namespace ModKit.Files;

/// <summary>
/// Decodes <c>.ko.zst</c> files like kmod 30 (<c>libkmod/libkmod-file.c: load_zstd</c>): libzstd's streaming
/// decoder, so frames without a recorded content size (<c>zstd -c</c> from a pipe) work, and several
/// frames decode one after the other. A decoder error is <see cref="Errno.EINVAL"/>.
/// </summary>
/// <remarks>
/// kmod 30 stops at the end of the file even in the middle of a frame and keeps what it decoded so far:
/// a truncated file is not a decompression error but yields a shortened image, which the ELF checks then
/// reject (ENOEXEC when the ELF header is missing, EINVAL when sections are cut off) or, when only the
/// trailing checksum or signature is cut, accept. ModKit reproduces that so that its tools report what
/// kmod 30 reports. (kmod 34 and later fail such files in the decompressor.)
/// </remarks>
internal static unsafe class ZstdDecoder
{
    private static readonly NativeContextPool Pool = new(Zstd.CreateDStream, stream => Zstd.FreeDStream(stream));

    public static DecodedImage Decode(CompressedInput input, int limit)
    {
        nint stream = Pool.Rent();
        if (stream == 0)
        {
            ModuleFormatException.Throw("zstd: Failed to create decompression stream", Errno.EINVAL);
        }

        try
        {
            // Starts a new frame, keeping the buffers of the previous use (also after an error).
            Zstd.InitDStream(stream);
            input.Fill();
            using var output = new DecompressionOutput(limit, DeclaredSize(input.Available), input.Length);
            while (!input.Available.IsEmpty || input.Fill())
            {
                nuint ret;
                bool outputFull;
                do
                {
                    ReadOnlySpan<byte> source = input.Available;
                    Span<byte> destination = output.GetFreeSpan();
                    fixed (byte* sourcePointer = source)
                    fixed (byte* destinationPointer = destination)
                    {
                        var inBuffer = new Zstd.InBuffer { Src = sourcePointer, Size = (nuint)source.Length };
                        var outBuffer = new Zstd.OutBuffer { Dst = destinationPointer, Size = (nuint)destination.Length };
                        ret = Zstd.DecompressStream(stream, &outBuffer, &inBuffer);
                        input.Consume((int)inBuffer.Pos);
                        output.Advance((int)outBuffer.Pos);
                        outputFull = outBuffer.Pos == outBuffer.Size;
                    }

                    if (Zstd.IsError(ret) != 0)
                    {
                        throw new ModuleFormatException("zstd: " + ErrorName(ret), Errno.EINVAL) { LibkmodFunction = "kmod_file_load_zstd" };
                    }

                    // A full output buffer may leave decoded data inside the decoder; a return of 0 means
                    // the frame is complete and everything was flushed.
                }
                while (!input.Available.IsEmpty || (outputFull && ret != 0));
            }

            return output.Detach();
        }
        finally
        {
            Pool.Return(stream);
        }
    }

    /// <summary>
    /// Decodes as kmod 34 does (<c>libkmod-file-zstd.c</c>): the whole file in one <c>ZSTD_decompress</c> into a buffer of
    /// the size the first frame header records.
    /// </summary>
    public static DecodedImage DecodeWhole(CompressedInput input, int limit)
    {
        var source = new List<byte>(input.Length is long known && known < int.MaxValue ? (int)known : 0);
        while (!input.Available.IsEmpty || input.Fill())
        {
            source.AddRange(input.Available);
            input.Consume(input.Available.Length);
        }

        ReadOnlySpan<byte> all = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(source);
        ulong declared;
        fixed (byte* pointer = all)
        {
            declared = Zstd.GetFrameContentSize(pointer, (nuint)all.Length);
        }

        if (declared is 0 or Zstd.ContentSizeUnknown or Zstd.ContentSizeError)
        {
            throw new ModuleFormatException("zstd: Failed to determine decompression size", Errno.EINVAL) { LibkmodFunction = "kmod_file_load_zstd" };
        }

        if (declared > (ulong)limit)
        {
            ModuleFormatException.Throw($"decompressed module larger than the limit of {limit} bytes", Errno.EFBIG);
        }

        using var output = new DecompressionOutput(limit, (long)declared, all.Length);
        Span<byte> destination = output.GetFreeSpan()[..(int)declared];
        nuint written;
        fixed (byte* sourcePointer = all)
        fixed (byte* destinationPointer = destination)
        {
            written = Zstd.Decompress(destinationPointer, (nuint)destination.Length, sourcePointer, (nuint)all.Length);
        }

        if (Zstd.IsError(written) != 0)
        {
            throw new ModuleFormatException("zstd: " + ErrorName(written), Errno.EINVAL) { LibkmodFunction = "kmod_file_load_zstd" };
        }

        output.Advance((int)written);
        return output.Detach();
    }

    /// <summary>The content size the first frame header declares, if any (streamed frames have none).</summary>
    private static long? DeclaredSize(ReadOnlySpan<byte> start)
    {
        fixed (byte* pointer = start)
        {
            ulong size = Zstd.GetFrameContentSize(pointer, (nuint)start.Length);
            return size is Zstd.ContentSizeUnknown or Zstd.ContentSizeError or > int.MaxValue ? null : (long)size;
        }
    }

    private static string ErrorName(nuint code) =>
        Marshal.PtrToStringUTF8((nint)Zstd.GetErrorName(code)) ?? "Unknown error";
}
