using System.Runtime.InteropServices;

namespace ModKit.Interop;

/// <summary>The parts of liblzma (<c>lzma.h</c>) used to decode <c>.ko.xz</c> modules, as kmod does.</summary>
internal static unsafe partial class Lzma
{
    /// <summary>The soname Debian's kmod links against (package liblzma5).</summary>
    public const string Library = "liblzma.so.5";

    /// <summary><c>LZMA_CONCATENATED</c>: decode every stream of a file, as <c>xz -d</c> does.</summary>
    public const uint Concatenated = 0x08;

    /// <summary><c>lzma_action</c>.</summary>
    public enum Action
    {
        Run = 0,
        Finish = 3,
    }

    /// <summary><c>lzma_ret</c>.</summary>
    public enum Ret
    {
        Ok = 0,
        StreamEnd = 1,
        NoCheck = 2,
        UnsupportedCheck = 3,
        GetCheck = 4,
        MemError = 5,
        MemlimitError = 6,
        FormatError = 7,
        OptionsError = 8,
        DataError = 9,
        BufError = 10,
        ProgError = 11,
    }

    /// <summary><c>lzma_stream</c>. All zeroes is <c>LZMA_STREAM_INIT</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Stream
    {
        public byte* NextIn;
        public nuint AvailIn;
        public ulong TotalIn;
        public byte* NextOut;
        public nuint AvailOut;
        public ulong TotalOut;
        public void* Allocator;
        public void* Internal;
        public void* ReservedPtr1;
        public void* ReservedPtr2;
        public void* ReservedPtr3;
        public void* ReservedPtr4;
        public ulong SeekPos;
        public ulong ReservedInt2;
        public nuint ReservedInt3;
        public nuint ReservedInt4;
        public int ReservedEnum1;
        public int ReservedEnum2;
    }

    [LibraryImport(Library, EntryPoint = "lzma_stream_decoder")]
    public static partial Ret StreamDecoder(Stream* strm, ulong memlimit, uint flags);

    [LibraryImport(Library, EntryPoint = "lzma_code")]
    public static partial Ret Code(Stream* strm, Action action);

    [LibraryImport(Library, EntryPoint = "lzma_end")]
    public static partial void End(Stream* strm);

    [LibraryImport(Library, EntryPoint = "lzma_version_number")]
    public static partial uint VersionNumber();
}
