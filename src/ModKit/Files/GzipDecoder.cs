using System.Buffers.Binary;
using System.Runtime.InteropServices;
using ModKit.Interop;

namespace ModKit.Files;

/// <summary>
/// Decodes <c>.ko.gz</c> files with the semantics of zlib's <c>gzread</c>, which kmod uses when built with
/// zlib (<c>libkmod/libkmod-file.c: load_zlib</c>): concatenated gzip members are decoded one after the
/// other, anything after a member that does not start with the gzip magic is ignored as trailing garbage,
/// and a truncated or corrupt member is an error (<see cref="Errno.EINVAL"/>).
/// </summary>
/// <remarks>
/// zlib's <c>inflate</c> is used rather than <c>System.IO.Compression.GZipStream</c> because GZipStream
/// (.NET 10) silently returns a prefix of the data when the file is truncated (dotnet/runtime#47563), where
/// gzread fails with "unexpected end of file".
/// </remarks>
internal static unsafe class GzipDecoder
{
    // A gzip member is at least a 10-byte header, an empty deflate block and an 8-byte trailer.
    private const int MinimumMemberLength = 18;

    public static DecodedImage Decode(CompressedInput input, int limit)
    {
        using var output = new DecompressionOutput(limit, DeclaredSize(input), input.Length);
        var strm = (Zlib.Stream*)NativeMemory.AllocZeroed((nuint)sizeof(Zlib.Stream));
        bool initialised = false;
        try
        {
            int ret = Zlib.InflateInit2(strm, Zlib.GzipWindowBits, Zlib.Version(), sizeof(Zlib.Stream));
            if (ret != Zlib.Ok)
            {
                ModuleFormatException.Throw("gzip: cannot initialise zlib: " + Message(strm, ret), Errno.EINVAL);
            }

            initialised = true;
            while (true)
            {
                if (input.Available.IsEmpty && !input.Fill())
                {
                    throw new ModuleFormatException("gzip: unexpected end of file", Errno.EINVAL) { LibkmodFunction = "kmod_file_load_zlib", Retry = LibkmodRetry.Silent };
                }

                ReadOnlySpan<byte> source = input.Available;
                Span<byte> destination = output.GetFreeSpan();
                fixed (byte* sourcePointer = source)
                fixed (byte* destinationPointer = destination)
                {
                    // Chunks are far below 4 GiB, so the 32-bit counts of z_stream hold them.
                    strm->NextIn = sourcePointer;
                    strm->AvailIn = (uint)source.Length;
                    strm->NextOut = destinationPointer;
                    strm->AvailOut = (uint)Math.Min(destination.Length, int.MaxValue);
                    uint offered = strm->AvailOut;
                    ret = Zlib.Inflate(strm, Zlib.NoFlush);
                    input.Consume(source.Length - (int)strm->AvailIn);
                    strm->NextIn = null;
                    strm->NextOut = null;
                    output.Advance((int)(offered - strm->AvailOut));
                }

                if (ret == Zlib.StreamEnd)
                {
                    if (!StartsAnotherMember(input))
                    {
                        return output.Detach();
                    }

                    Zlib.InflateReset(strm);
                }
                else if (ret == Zlib.BufError && input.Available.IsEmpty)
                {
                    // No progress for want of input: the top of the loop reads more or reports truncation.
                }
                else if (ret != Zlib.Ok)
                {
                    throw new ModuleFormatException("gzip: " + Message(strm, ret), Errno.EINVAL) { LibkmodFunction = "kmod_file_load_zlib", Retry = LibkmodRetry.Silent };
                }
            }
        }
        finally
        {
            if (initialised)
            {
                Zlib.InflateEnd(strm);
            }

            NativeMemory.Free(strm);
        }
    }

    // gzread: after a member ends, another member follows only if the next two bytes are the gzip magic;
    // anything else (including a lone byte) is trailing garbage and ends the data.
    private static bool StartsAnotherMember(CompressedInput input)
    {
        if (input.Available.Length < 2)
        {
            input.Fill();
        }

        ReadOnlySpan<byte> next = input.Available;
        return next.Length >= 2 && next[0] == 0x1F && next[1] == 0x8B;
    }

    // The trailer's ISIZE is the size of the last member modulo 2^32: exact for the usual single-member file.
    private static long? DeclaredSize(CompressedInput input)
    {
        Span<byte> trailer = stackalloc byte[4];
        if (input.Length < MinimumMemberLength || !input.TryReadTail(trailer))
        {
            return null;
        }

        return BinaryPrimitives.ReadUInt32LittleEndian(trailer);
    }

    private static string Message(Zlib.Stream* strm, int ret) =>
        strm->Msg is not null ? Marshal.PtrToStringUTF8((nint)strm->Msg) ?? $"error {ret}" : $"error {ret}";
}
