using System.Runtime.InteropServices;
using System.Text;

namespace ModKit.Native;

/// <summary>C strings in and out of the library: malloc'd UTF-8 copies, freed with <c>free</c>.</summary>
internal static unsafe class NativeString
{
    /// <summary>The C string at <paramref name="text"/>, or <see langword="null"/> for NULL.</summary>
    public static string? Read(byte* text) => text is null ? null : Marshal.PtrToStringUTF8((nint)text);

    /// <summary>A malloc'd NUL-terminated copy; <see langword="null"/> gives NULL.</summary>
    public static byte* Copy(string? text)
    {
        if (text is null)
        {
            return null;
        }

        int length = Encoding.UTF8.GetByteCount(text);
        byte* copy = (byte*)NativeMemory.Alloc((nuint)length + 1);
        Encoding.UTF8.GetBytes(text, new Span<byte>(copy, length));
        copy[length] = 0;
        return copy;
    }

    /// <summary>Frees a copy made by <see cref="Copy"/> and clears the pointer.</summary>
    public static void Free(ref byte* text)
    {
        NativeMemory.Free(text);
        text = null;
    }
}
