namespace ModKit.Cli;

/// <summary>
/// Replaces a file so that readers only ever see the old or the new complete contents: the data goes to a
/// temporary file in the same directory (kmod ≤ 34's name <c>&lt;name&gt;.&lt;pid&gt;.&lt;usec&gt;.&lt;sec&gt;</c>,
/// created exclusively with mode 0644), is flushed to disk with <c>fsync</c>, and the temporary file is renamed
/// over the target. kmod itself does not fsync, so after a power loss its renamed files may be empty.
/// </summary>
internal static class AtomicFile
{
    private const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static bool TryWrite(string directory, string name, ReadOnlySpan<byte> contents, out string? error)
    {
        var now = DateTimeOffset.UtcNow;
        long seconds = now.ToUnixTimeSeconds();
        long microseconds = (now.UtcTicks % TimeSpan.TicksPerSecond) / 10;
        string temporary = Path.Combine(directory, $"{name}.{Environment.ProcessId}.{microseconds}.{seconds}");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0 };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = Mode;
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path.Combine(directory, name), overwrite: true);
            error = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // The temporary file stays behind; the target is untouched either way.
            }

            error = $"Could not write index '{name}': {e.Message}";
            return false;
        }
    }
}
