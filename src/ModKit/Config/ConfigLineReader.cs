namespace ModKit.Config;

/// <summary>
/// Logical lines of a config file (<c>shared/util.c: freadline_wrapped</c>): a backslash before a newline
/// joins the lines (the newline is dropped), a backslash before any other byte keeps only that byte. Each
/// line comes with the number of the last physical line it took, which is what kmod's messages cite. A line
/// stops at a NUL byte, as a C string does. Lines without a backslash are handed out as slices of the file.
/// A backslash that ends the file adds getc's EOF as a 0xFF byte when <paramref name="keepEndOfFile"/> is set
/// (kmod ≤ 33); kmod 34 just drops it (<see cref="KmodProfile.ConfigKeepsEndOfFileAfterBackslash"/>).
/// </summary>
internal struct ConfigLineReader(byte[] data, bool keepEndOfFile)
{
    private byte[]? _joined;
    private int _position;
    private int _lineNumber;

    /// <summary>Reads the next logical line; false at the end of the file.</summary>
    /// <param name="line">The line's bytes, up to a NUL; valid until the next call.</param>
    /// <param name="lineNumber">The number of the last physical line the logical line took.</param>
    public bool TryRead(out ReadOnlySpan<byte> line, out int lineNumber)
    {
        line = default;
        lineNumber = 0;
        if (_position == data.Length)
        {
            return false;
        }

        var rest = data.AsSpan(_position);
        int newline = rest.IndexOf((byte)'\n');
        var physical = newline < 0 ? rest : rest[..newline];
        if (physical.IndexOf((byte)'\\') < 0)
        {
            // The common case: one physical line, no escapes.
            _position += newline < 0 ? rest.Length : newline + 1;
            line = UpToNul(physical);
            lineNumber = ++_lineNumber;
            return true;
        }

        return TryReadJoined(out line, out lineNumber);
    }

    private bool TryReadJoined(out ReadOnlySpan<byte> line, out int lineNumber)
    {
        _joined ??= new byte[256];
        int length = 0;
        int pending = 0;
        while (true)
        {
            if (_position == data.Length)
            {
                // A file that ends inside a line (no newline) still gives that line, if anything is in it.
                if (length == 0)
                {
                    line = default;
                    lineNumber = 0;
                    return false;
                }

                break;
            }

            byte b = data[_position++];
            if (b == (byte)'\n')
            {
                break;
            }

            if (b == (byte)'\\')
            {
                if (_position == data.Length)
                {
                    // kmod 30 stores getc's EOF (-1) as a byte; it becomes U+FFFD when decoded.
                    if (keepEndOfFile)
                    {
                        Append(ref length, 0xFF);
                    }

                    continue;
                }

                b = data[_position++];
                if (b == (byte)'\n')
                {
                    pending++;
                    continue;
                }
            }

            Append(ref length, b);
        }

        _lineNumber += pending + 1;
        lineNumber = _lineNumber;
        line = UpToNul(_joined.AsSpan(0, length));
        return true;
    }

    private void Append(ref int length, byte b)
    {
        if (length == _joined!.Length)
        {
            Array.Resize(ref _joined, length * 2);
        }

        _joined[length++] = b;
    }

    private static ReadOnlySpan<byte> UpToNul(ReadOnlySpan<byte> line)
    {
        int nul = line.IndexOf((byte)0);
        return nul < 0 ? line : line[..nul];
    }
}
