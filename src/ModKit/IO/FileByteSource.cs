using Microsoft.Win32.SafeHandles;

namespace ModKit.IO;

/// <summary>A <see cref="ByteSource"/> over an open file, read with positional reads (<c>pread</c>).</summary>
public sealed class FileByteSource : ByteSource
{
    private readonly SafeFileHandle _handle;
    private readonly bool _ownsHandle;

    /// <summary>Wraps an open file.</summary>
    /// <param name="handle">The file, opened for reading.</param>
    /// <param name="length">The file's length in bytes.</param>
    /// <param name="ownsHandle">Whether disposing this source closes <paramref name="handle"/>.</param>
    public FileByteSource(SafeFileHandle handle, long length, bool ownsHandle = true)
    {
        _handle = handle;
        Length = length;
        _ownsHandle = ownsHandle;
    }

    /// <inheritdoc/>
    public override long Length { get; }

    /// <inheritdoc/>
    public override void ReadExactly(long offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        while (!destination.IsEmpty)
        {
            int n = RandomAccess.Read(_handle, destination, offset);
            if (n <= 0)
            {
                // The file shrank under us: report it like a truncated image.
                ModuleFormatException.Throw("unexpected end of file");
            }

            destination = destination[n..];
            offset += n;
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsHandle)
        {
            _handle.Dispose();
        }
    }
}
