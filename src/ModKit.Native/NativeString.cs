using System.Runtime.InteropServices;
using System.Text;

namespace ModKit.Native;

/// <summary>
/// C strings in and out of the library: malloc'd UTF-8 copies, freed with <c>free</c>. libkmod treats names,
/// paths and options as bytes; a byte that is not part of valid UTF-8 is carried through .NET's strings as
/// the lone surrogate U+DC00 + byte (Python's "surrogateescape") and written back as that byte, so that
/// what a program passes in comes back out unchanged.
/// </summary>
internal static unsafe class NativeString
{
    private const char EscapeBase = '\uDC00';

    /// <summary>The C string at <paramref name="text"/>, or <see langword="null"/> for NULL.</summary>
    public static string? Read(byte* text)
    {
        if (text is null)
        {
            return null;
        }

        var bytes = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text);
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var builder = new StringBuilder(bytes.Length);
        Span<char> chars = stackalloc char[2];
        while (!bytes.IsEmpty)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes, out var rune, out int used) == System.Buffers.OperationStatus.Done)
            {
                builder.Append(chars[..rune.EncodeToUtf16(chars)]);
            }
            else
            {
                used = 1;
                builder.Append((char)(EscapeBase + bytes[0]));
            }

            bytes = bytes[used..];
        }

        return builder.ToString();
    }

    /// <summary>A malloc'd NUL-terminated copy; <see langword="null"/> gives NULL.</summary>
    public static byte* Copy(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!HasEscapes(text))
        {
            int length = Encoding.UTF8.GetByteCount(text);
            byte* copy = (byte*)NativeMemory.Alloc((nuint)length + 1);
            Encoding.UTF8.GetBytes(text, new Span<byte>(copy, length));
            copy[length] = 0;
            return copy;
        }

        // At most three bytes a UTF-16 unit (a surrogate pair's four bytes are two units).
        byte* escaped = (byte*)NativeMemory.Alloc((nuint)text.Length * 3 + 1);
        int written = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(text[i - 1])) && c - EscapeBase < 0x100)
            {
                escaped[written++] = (byte)(c - EscapeBase);
                continue;
            }

            int units = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            written += Encoding.UTF8.GetBytes(text.AsSpan(i, units), new Span<byte>(escaped + written, 4));
            i += units - 1;
        }

        escaped[written] = 0;
        return escaped;
    }

    /// <summary>Frees a copy made by <see cref="Copy"/> and clears the pointer.</summary>
    public static void Free(ref byte* text)
    {
        NativeMemory.Free(text);
        text = null;
    }

    // A low surrogate without its high one: an escaped byte.
    private static bool HasEscapes(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsLowSurrogate(text[i]) && (i == 0 || !char.IsHighSurrogate(text[i - 1])))
            {
                return true;
            }
        }

        return false;
    }
}
