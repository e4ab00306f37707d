using System.Runtime.InteropServices;

namespace ModKit.Cli;

/// <summary>
/// The libc calls the program itself makes (its standard streams and syslog), declared once; the library's own
/// are in <c>ModKit.Interop</c>.
/// </summary>
internal static unsafe partial class SystemCalls
{
    public const int O_WRONLY = 1, O_NOCTTY = 0x100, O_CLOEXEC = 0x80000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    public static partial int Open(byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int descriptor, byte* data, nuint length);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int Close(int descriptor);

    [LibraryImport("libc", EntryPoint = "isatty")]
    public static partial int IsATty(int descriptor);

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    public static partial int FileStatus(int descriptor, byte* status);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollDescriptor* descriptors, nuint count, int timeout);

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    public static partial int Connect(int socket, byte* address, uint length);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int socket, byte* data, nuint length, int flags);

    /// <summary><c>struct pollfd</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }
}
