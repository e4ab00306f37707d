using System.Runtime.InteropServices;
using ModKit.Interop;

namespace ModKit.Native;

/// <summary>
/// Writes to a caller's file descriptor with <c>write(2)</c>, at its current offset and moving it (a
/// FileStream would write at an offset of its own), without closing it. Stops at the first error, as
/// kmod's index dump does.
/// </summary>
internal sealed unsafe class DescriptorStream(int descriptor) : Stream
{
    private const int EINTR = 4;
    private bool _failed;

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
            while (left > 0 && !_failed)
            {
                nint written = Libc.Write(descriptor, next, (nuint)left);
                if (written < 0)
                {
                    _failed = Marshal.GetLastPInvokeError() != EINTR;
                    continue;
                }

                next += written;
                left -= written;
            }
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
