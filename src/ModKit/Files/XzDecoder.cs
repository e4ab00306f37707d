using System.Runtime.InteropServices;
using ModKit.Interop;

namespace ModKit.Files;

/// <summary>
/// Decodes <c>.ko.xz</c> files like kmod 30 (<c>libkmod/libkmod-file.c: load_xz</c>): liblzma's stream
/// decoder with no memory limit and concatenated streams allowed; any decoder error is
/// <see cref="Errno.EINVAL"/>, except a decoder that cannot even be created for lack of memory (ENOMEM). A failure
/// records where kmod's descriptor would stand (<see cref="ModuleFormatException.RetryOffset"/>).
/// </summary>
internal static unsafe class XzDecoder
{
    // An lzma_stream at a fixed native address; a reused one keeps its decoder's dictionary buffer.
    private static readonly NativeContextPool Pool = new(
        () => (nint)NativeMemory.AllocZeroed((nuint)sizeof(Lzma.Stream)),
        strm =>
        {
            Lzma.End((Lzma.Stream*)strm);
            NativeMemory.Free((void*)strm);
        });

    public static DecodedImage Decode(CompressedInput input, int limit)
    {
        using var output = new DecompressionOutput(limit, XzStreamIndex.TryReadUncompressedSize(input), input.Length);
        var strm = (Lzma.Stream*)Pool.Rent();
        try
        {
            // Initialising an lzma_stream that was used before reuses its memory where it can.
            Lzma.Ret ret = Lzma.StreamDecoder(strm, ulong.MaxValue, Lzma.Concatenated);
            if (ret != Lzma.Ret.Ok)
            {
                throw new ModuleFormatException(
                    ret == Lzma.Ret.MemError ? "xz: Cannot allocate memory" : "xz: Internal error (bug)",
                    ret == Lzma.Ret.MemError ? Errno.ENOMEM : Errno.EINVAL)
                { LibkmodFunction = "kmod_file_load_xz" };
            }

            Lzma.Action action = Lzma.Action.Run;
            while (true)
            {
                // At the end of the input, LZMA_FINISH makes liblzma report a truncated stream
                // (LZMA_BUF_ERROR) instead of waiting for more.
                if (input.Available.IsEmpty && action == Lzma.Action.Run && !input.Fill())
                {
                    action = Lzma.Action.Finish;
                }

                ReadOnlySpan<byte> source = input.Available;
                Span<byte> destination = output.GetFreeSpan();
                fixed (byte* sourcePointer = source)
                fixed (byte* destinationPointer = destination)
                {
                    strm->NextIn = sourcePointer;
                    strm->AvailIn = (nuint)source.Length;
                    strm->NextOut = destinationPointer;
                    strm->AvailOut = (nuint)destination.Length;
                    ret = Lzma.Code(strm, action);
                    input.Consume(source.Length - (int)strm->AvailIn);
                    strm->NextIn = null;
                    strm->NextOut = null;
                }

                output.Advance(destination.Length - (int)strm->AvailOut);
                if (ret == Lzma.Ret.StreamEnd)
                {
                    return output.Detach();
                }

                if (ret != Lzma.Ret.Ok)
                {
                    throw new ModuleFormatException(Describe(ret), Errno.EINVAL)
                    {
                        LibkmodFunction = "xz_uncompress_belch",
                        Retry = LibkmodRetry.ReadsOn,
                        RetryOffset = LibkmodReadOffset(input),
                    };
                }
            }
        }
        finally
        {
            Pool.Return((nint)strm);
        }
    }

    // kmod reads BUFSIZ bytes whenever liblzma has used up what it was given: to have handed over the bytes consumed
    // so far (at least one read), it has read this far into the file.
    private static long LibkmodReadOffset(CompressedInput input)
    {
        const int KmodReadSize = 8192;
        long reads = Math.Max(1, (input.Consumed + KmodReadSize - 1) / KmodReadSize);
        return Math.Min(input.FileLength ?? 0, input.StartOffset + (reads * KmodReadSize));
    }

    // The texts of kmod's xz_uncompress_belch (which kmod 30 never prints: its context is not yet set).
    private static string Describe(Lzma.Ret ret) => ret switch
    {
        Lzma.Ret.MemError => "xz: Cannot allocate memory",
        Lzma.Ret.FormatError => "xz: File format not recognized",
        Lzma.Ret.OptionsError => "xz: Unsupported compression options",
        Lzma.Ret.DataError => "xz: File is corrupt",
        Lzma.Ret.BufError => "xz: Unexpected end of input",
        _ => "xz: Internal error (bug)",
    };
}
