namespace ModKit.Index;

/// <summary>An index held in memory (small files, or bytes a caller already has).</summary>
internal sealed class MemoryIndexSource(ReadOnlyMemory<byte> contents) : IndexSource
{
    public override long Length => contents.Length;

    protected override ReadOnlySpan<byte> ReadCore(long offset, int length) => contents.Span.Slice((int)offset, length);
}
