using System.Buffers;

namespace ModKit.Files;

/// <summary>
/// A decompressed module in a buffer that may be rented from the shared array pool: the first
/// <see cref="Length"/> bytes of <see cref="Buffer"/>. Whoever holds it releases it once.
/// </summary>
internal readonly record struct DecodedImage(byte[] Buffer, int Length, bool Pooled)
{
    public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);

    /// <summary>An array of exactly <see cref="Length"/> bytes; the pooled buffer, if any, is released.</summary>
    public byte[] ToExactArray()
    {
        if (!Pooled && Length == Buffer.Length)
        {
            return Buffer;
        }

        byte[] exact = GC.AllocateUninitializedArray<byte>(Length);
        Buffer.AsSpan(0, Length).CopyTo(exact);
        Release();
        return exact;
    }

    public void Release()
    {
        if (Pooled)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
        }
    }
}
