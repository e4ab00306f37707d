using System.Runtime.InteropServices;
using ModKit.Interop;

namespace ModKit.Native;

/// <summary>
/// Writes to a caller's file descriptor with <c>write(2)</c>, at its current offset and moving it (a
/// FileStream would write at an offset of its own), without closing it. Stops at the first error, as
/// kmod's index dump does.
/// </summary>
internal sealed unsafe class DescriptorStream(int descriptor) : ModKit.IO.WriteOnlyStream
{
    private const int EINTR = 4;
    private bool _failed;

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
}
