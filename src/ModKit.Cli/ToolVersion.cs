namespace ModKit.Cli;

/// <summary>
/// What <c>-V</c> prints. The tools answer as kmod 30 with the features ModKit has: zstd, xz and gzip
/// decompression, and PKCS#7 signature decoding (kmod's <c>+LIBCRYPTO</c>). Debian's kmod 30 prints
/// <c>-ZLIB</c>: ModKit reads .ko.gz modules, which that build does not.
/// </summary>
internal static class ToolVersion
{
    public const string KmodVersion = "30";

    public const string Features = "+ZSTD +XZ +ZLIB +LIBCRYPTO -EXPERIMENTAL";

    public static string Text => $"kmod version {KmodVersion}\n{Features}\n";

    public static string ModKitVersion =>
        typeof(ToolVersion).Assembly.GetName().Version?.ToString(3) ?? "0.1.0";
}
