namespace ModKit.Files;

/// <summary>How <c>.ko.zst</c> files are decoded (<see cref="KmodProfile.ZstdDecoding"/>).</summary>
public enum ZstdDecoding
{
    /// <summary>
    /// kmod 30: libzstd's streaming decoder, so frames without a recorded content size (<c>zstd</c> writing to a pipe)
    /// decode, and a file cut short yields what was decoded before the cut.
    /// </summary>
    Streaming,

    /// <summary>
    /// kmod 34: one <c>ZSTD_decompress</c> into a buffer of the size the first frame header records; a frame without
    /// one fails (<c>zstd: Failed to determine decompression size</c>), and so does a file cut short.
    /// </summary>
    WholeFrames,
}
