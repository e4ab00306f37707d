using System.Runtime.InteropServices;

namespace ModKit.Interop;

/// <summary>
/// The parts of zlib (<c>zlib.h</c>) used to decode <c>.ko.gz</c> modules with the exact semantics of kmod's
/// <c>gzread</c> (which is built on <c>inflate</c>).
/// </summary>
internal static unsafe partial class Zlib
{
    /// <summary>The soname of zlib (package zlib1g, priority "required" on Debian).</summary>
    public const string Library = "libz.so.1";

    /// <summary>15-bit window, +16: expect a gzip header and trailer (what <c>gzread</c> uses).</summary>
    public const int GzipWindowBits = 15 + 16;

    public const int NoFlush = 0;
    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int NeedDict = 2;
    public const int BufError = -5;

    /// <summary><c>z_stream</c>; <c>uLong</c> is a C <c>unsigned long</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Stream
    {
        public byte* NextIn;
        public uint AvailIn;
        public CULong TotalIn;
        public byte* NextOut;
        public uint AvailOut;
        public CULong TotalOut;
        public byte* Msg;
        public void* State;
        public void* ZAlloc;
        public void* ZFree;
        public void* Opaque;
        public int DataType;
        public CULong Adler;
        public CULong Reserved;
    }

    /// <summary><c>inflateInit2_</c>, what the <c>inflateInit2</c> macro expands to.</summary>
    [LibraryImport(Library, EntryPoint = "inflateInit2_")]
    public static partial int InflateInit2(Stream* strm, int windowBits, byte* version, int streamSize);

    [LibraryImport(Library, EntryPoint = "inflate")]
    public static partial int Inflate(Stream* strm, int flush);

    [LibraryImport(Library, EntryPoint = "inflateReset")]
    public static partial int InflateReset(Stream* strm);

    [LibraryImport(Library, EntryPoint = "inflateEnd")]
    public static partial int InflateEnd(Stream* strm);

    [LibraryImport(Library, EntryPoint = "zlibVersion")]
    public static partial byte* Version();
}
