using System.Runtime.InteropServices;

namespace ModKit.Interop;

/// <summary>The parts of libzstd (<c>zstd.h</c>) used to decode <c>.ko.zst</c> modules, as kmod 30 does.</summary>
internal static unsafe partial class Zstd
{
    /// <summary>The soname Debian's kmod links against (package libzstd1).</summary>
    public const string Library = "libzstd.so.1";

    /// <summary><c>ZSTD_CONTENTSIZE_UNKNOWN</c>: the frame header does not record the decompressed size.</summary>
    public const ulong ContentSizeUnknown = unchecked((ulong)-1);

    /// <summary><c>ZSTD_CONTENTSIZE_ERROR</c>: not a valid frame header.</summary>
    public const ulong ContentSizeError = unchecked((ulong)-2);

    /// <summary><c>ZSTD_inBuffer</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct InBuffer
    {
        public byte* Src;
        public nuint Size;
        public nuint Pos;
    }

    /// <summary><c>ZSTD_outBuffer</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct OutBuffer
    {
        public byte* Dst;
        public nuint Size;
        public nuint Pos;
    }

    [LibraryImport(Library, EntryPoint = "ZSTD_createDStream")]
    public static partial nint CreateDStream();

    [LibraryImport(Library, EntryPoint = "ZSTD_freeDStream")]
    public static partial nuint FreeDStream(nint zds);

    [LibraryImport(Library, EntryPoint = "ZSTD_initDStream")]
    public static partial nuint InitDStream(nint zds);

    [LibraryImport(Library, EntryPoint = "ZSTD_decompressStream")]
    public static partial nuint DecompressStream(nint zds, OutBuffer* output, InBuffer* input);

    [LibraryImport(Library, EntryPoint = "ZSTD_isError")]
    public static partial uint IsError(nuint code);

    [LibraryImport(Library, EntryPoint = "ZSTD_getErrorName")]
    public static partial byte* GetErrorName(nuint code);

    [LibraryImport(Library, EntryPoint = "ZSTD_decompress")]
    public static partial nuint Decompress(byte* dst, nuint dstCapacity, byte* src, nuint srcSize);

    [LibraryImport(Library, EntryPoint = "ZSTD_getFrameContentSize")]
    public static partial ulong GetFrameContentSize(byte* src, nuint srcSize);

    [LibraryImport(Library, EntryPoint = "ZSTD_versionNumber")]
    public static partial uint VersionNumber();
}
