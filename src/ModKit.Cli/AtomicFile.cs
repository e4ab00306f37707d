namespace ModKit.Cli;

/// <summary>
/// Replaces a file so that readers only ever see the old or the new complete contents: the data goes to a
/// temporary file in the same directory (kmod ≤ 34's name <c>&lt;name&gt;.&lt;pid&gt;.&lt;usec&gt;.&lt;sec&gt;</c>,
/// created exclusively with mode 0644), is flushed to disk with <c>fsync</c>, and the temporary file is renamed
/// over the target. kmod itself does not fsync, so after a power loss its renamed files may be empty; and when a
/// write fails (a full disk) kmod still renames the truncated file over the index, where ModKit removes it and
/// leaves the old index in place.
/// </summary>
internal static class AtomicFile
{
    private const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The step of a replacement that failed.</summary>
    public enum Step
    {
        /// <summary>Creating the temporary file (kmod's <c>openat</c>).</summary>
        Create,

        /// <summary>Writing or flushing it (kmod's <c>ferror</c>/<c>fclose</c>).</summary>
        Write,

        /// <summary>Renaming it over the target (kmod's <c>renameat</c>).</summary>
        Rename,
    }

    /// <summary>A failed replacement: the step, the errno and the temporary file's name (already removed).</summary>
    public sealed record Failure(Step Step, int Errno, string TemporaryName);

    /// <summary>The temporary names' common suffix for one run, <c>.&lt;pid&gt;.&lt;usec&gt;.&lt;sec&gt;</c> (kmod takes the time once).</summary>
    public static string RunSuffix()
    {
        var now = DateTimeOffset.UtcNow;
        long seconds = now.ToUnixTimeSeconds();
        long microseconds = (now.UtcTicks % TimeSpan.TicksPerSecond) / 10;
        return $".{Environment.ProcessId}.{microseconds}.{seconds}";
    }

    public static bool TryWrite(string directory, string name, ReadOnlySpan<byte> contents, string suffix, out Failure? failure)
    {
        string temporaryName = name + suffix;
        string temporary = Path.Combine(directory, temporaryName);
        var step = Step.Create;
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0 };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = Mode;
            using (var stream = new FileStream(temporary, options))
            {
                step = Step.Write;
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }

            step = Step.Rename;
            File.Move(temporary, Path.Combine(directory, name), overwrite: true);
            failure = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (step != Step.Create)
            {
                try
                {
                    File.Delete(temporary);
                }
                catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
                {
                    // The temporary file stays behind; the target is untouched either way.
                }
            }

            failure = new Failure(step, ModKit.Errno.FromException(e), temporaryName);
            return false;
        }
    }
}
