namespace ModKit.Devices;

/// <summary>
/// Reads one <c>modules.devname</c> line as static-nodes' <c>sscanf(line, "%s %s %c%u:%u", ...)</c> does, with
/// every leniency of glibc's scanf: blanks of any kind and number between the fields, blanks and a sign
/// before each number, numbers wrapped to 32 bits, anything after the minor number ignored.
/// </summary>
internal static class DevnameScanner
{
    /// <summary>Parses a line (without NUL bytes).</summary>
    /// <param name="line">The line.</param>
    /// <param name="node">The node when all five fields were read and the type is <c>c</c> or <c>b</c>.</param>
    /// <returns>Whether the line describes a node.</returns>
    public static bool TryScan(ReadOnlySpan<byte> line, out DeviceNode? node)
    {
        node = null;
        int position = 0;
        if (!TryReadWord(line, ref position, out var module) || !TryReadWord(line, ref position, out var name))
        {
            return false;
        }

        // " %c": the blanks before the type, then any one byte.
        SkipSpaces(line, ref position);
        if (position == line.Length)
        {
            return false;
        }

        byte type = line[position++];
        if (!TryReadNumber(line, ref position, out uint major)
            || position == line.Length || line[position++] != ':'
            || !TryReadNumber(line, ref position, out uint minor))
        {
            return false;
        }

        if (type is not ((byte)DeviceNodeType.Character or (byte)DeviceNodeType.Block))
        {
            return false;
        }

        node = new DeviceNode(module.ToArray(), name.ToArray(), (DeviceNodeType)type, major, minor);
        return true;
    }

    // isspace() in the C locale.
    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    private static void SkipSpaces(ReadOnlySpan<byte> line, ref int position)
    {
        while (position < line.Length && IsSpace(line[position]))
        {
            position++;
        }
    }

    // %s: blanks skipped, then at least one byte up to the next blank.
    private static bool TryReadWord(ReadOnlySpan<byte> line, ref int position, out ReadOnlySpan<byte> word)
    {
        SkipSpaces(line, ref position);
        int start = position;
        while (position < line.Length && !IsSpace(line[position]))
        {
            position++;
        }

        word = line[start..position];
        return position > start;
    }

    // %u: blanks skipped, an optional sign, then decimal digits, converted as strtoul does (a value past
    // ULONG_MAX becomes ULONG_MAX, a minus sign negates modulo 2^64) and stored into 32 bits.
    private static bool TryReadNumber(ReadOnlySpan<byte> line, ref int position, out uint value)
    {
        value = 0;
        SkipSpaces(line, ref position);
        bool negative = false;
        if (position < line.Length && line[position] is (byte)'+' or (byte)'-')
        {
            negative = line[position] == '-';
            position++;
        }

        int start = position;
        ulong number = 0;
        bool overflow = false;
        while (position < line.Length && char.IsAsciiDigit((char)line[position]))
        {
            ulong digit = (ulong)(line[position] - '0');
            if (number > (ulong.MaxValue - digit) / 10)
            {
                overflow = true;
            }
            else
            {
                number = (number * 10) + digit;
            }

            position++;
        }

        if (position == start)
        {
            return false;
        }

        if (overflow)
        {
            number = ulong.MaxValue;
        }
        else if (negative)
        {
            number = unchecked(0 - number);
        }

        value = unchecked((uint)number);
        return true;
    }
}
