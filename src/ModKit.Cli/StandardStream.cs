using System.Runtime.InteropServices;

namespace ModKit.Cli;

/// <summary>
/// Standard output or error as a write-only stream: each write is <c>write(2)</c> on the descriptor,
/// at its shared file offset, with the error handling of .NET's console stream (EINTR and partial
/// writes retried, EAGAIN waited out with <c>poll</c>, EPIPE ignored, other errors an
/// <see cref="IOException"/> with the system's text). A closed descriptor (EBADF) drops the output, as
/// C's stdio does: a tool started with <c>2&gt;&amp;-</c> runs on and exits with its own status.
/// </summary>
/// <remarks>
/// .NET's console stream initialises the terminal on its first write: a signal-handling thread, a
/// pipe and handlers for SIGINT, SIGQUIT, SIGCONT, SIGCHLD... which costs a short tool run about
/// 0.2 ms (2-core VM) and is of no use to a tool that never reads the terminal.
/// </remarks>
internal sealed unsafe partial class StandardStream(int descriptor) : Stream
{
    private const int EINTR = 4, EBADF = 9, EAGAIN = 11, EPIPE = 32;
    private const short POLLOUT = 4;
    private const int F_GETFD = 1;
    private const int O_WRONLY = 1, O_CLOEXEC = 0x80000;

    /// <summary>Whether <paramref name="descriptor"/> is open (kmod asks with <c>fstat(fileno(stderr))</c>).</summary>
    public static bool IsOpen(int descriptor) => Fcntl(descriptor, F_GETFD) >= 0;

    /// <summary>
    /// Opens <c>/dev/null</c> (close-on-exec) on the closed <paramref name="descriptor"/>, the lowest free one,
    /// so that no file the tool opens later (an index, depmod's output) takes its number and receives the messages
    /// meant for it. Does nothing when a lower descriptor is free as well.
    /// </summary>
    public static void Reserve(int descriptor)
    {
        byte* path = stackalloc byte[] { (byte)'/', (byte)'d', (byte)'e', (byte)'v', (byte)'/', (byte)'n', (byte)'u', (byte)'l', (byte)'l', 0 };
        int opened = OpenFile(path, O_WRONLY | O_CLOEXEC);
        if (opened >= 0 && opened != descriptor)
        {
            CloseFile(opened);
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            byte* next = start;
            nint left = buffer.Length;
            while (left > 0)
            {
                nint written = WriteFile(descriptor, next, (nuint)left);
                if (written < 0)
                {
                    int error = Marshal.GetLastPInvokeError();
                    if (error == EINTR)
                    {
                        continue;
                    }

                    if (error is EPIPE or EBADF)
                    {
                        return; // the reader has gone, or the descriptor was closed: drop the output
                    }

                    if (error == EAGAIN)
                    {
                        // A non-blocking descriptor: wait until it takes more, then write again.
                        var poll = new PollDescriptor { Descriptor = descriptor, Events = POLLOUT };
                        Poll(&poll, 1, -1);
                        continue;
                    }

                    throw new IOException(Marshal.GetPInvokeErrorMessage(error), error);
                }

                next += written;
                left -= written;
            }
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint WriteFile(int descriptor, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int descriptor, int command);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    private static partial int OpenFile(byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseFile(int descriptor);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollDescriptor* descriptors, nuint count, int timeout);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }
}
