using System.Runtime.InteropServices;

namespace ModKit.Cli;

/// <summary>
/// Standard output or error as a write-only stream: each write is <c>write(2)</c> on the descriptor,
/// at its shared file offset, with the error handling of .NET's console stream (EINTR and partial
/// writes retried, EAGAIN waited out with <c>poll</c>, EPIPE and a closed descriptor (EBADF) ignored, other errors an
/// <see cref="IOException"/> with the system's text).
/// </summary>
/// <remarks>
/// .NET's console stream initialises the terminal on its first write: a signal-handling thread, a
/// pipe and handlers for SIGINT, SIGQUIT, SIGCONT, SIGCHLD... which costs a short tool run about
/// 0.2 ms (2-core VM) and is of no use to a tool that never reads the terminal.
/// </remarks>
internal sealed unsafe class StandardStream(int descriptor) : ModKit.IO.WriteOnlyStream
{
    private const int EBADF = 9, EINTR = 4, EAGAIN = 11, EPIPE = 32;
    private const short POLLOUT = 4;

    // struct stat is 144 bytes on x86_64 and 128 on arm64; room for any of them.
    private const int StatLength = 256;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            byte* next = start;
            nint left = buffer.Length;
            while (left > 0)
            {
                nint written = SystemCalls.Write(descriptor, next, (nuint)left);
                if (written < 0)
                {
                    int error = Marshal.GetLastPInvokeError();
                    if (error == EINTR)
                    {
                        continue;
                    }

                    if (error == EPIPE)
                    {
                        return; // the reader has gone: like .NET's console stream, drop the output
                    }

                    if (error == EBADF)
                    {
                        return; // a closed descriptor: C's stdio fails quietly, and so does kmod
                    }

                    if (error == EAGAIN)
                    {
                        // A non-blocking descriptor: wait until it takes more, then write again.
                        var poll = new SystemCalls.PollDescriptor { Descriptor = descriptor, Events = POLLOUT };
                        SystemCalls.Poll(&poll, 1, -1);
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

    /// <summary>
    /// Opens <c>/dev/null</c> (close-on-exec) on the closed <paramref name="descriptor"/>, the lowest free one, so that
    /// no file the tool opens later (an index, depmod's output) takes its number and receives the messages meant for
    /// it. Does nothing when a lower descriptor is free as well.
    /// </summary>
    public static void Reserve(int descriptor)
    {
        fixed (byte* path = "/dev/null\0"u8)
        {
            int opened = SystemCalls.Open(path, SystemCalls.O_WRONLY | SystemCalls.O_CLOEXEC);
            if (opened >= 0 && opened != descriptor)
            {
                SystemCalls.Close(opened);
            }
        }
    }

    /// <summary>Whether the descriptor is open: <c>fstat(2)</c> succeeds on it (kmod's test for a closed stderr).</summary>
    public bool IsOpen()
    {
        byte* status = stackalloc byte[StatLength];
        return SystemCalls.FileStatus(descriptor, status) == 0;
    }

    /// <summary>Whether the descriptor is a terminal (<c>isatty</c>): C's stdio then buffers output by line.</summary>
    public bool IsTerminal => SystemCalls.IsATty(descriptor) == 1;
}
