using System.Text;

namespace ModKit.Cli;

/// <summary>
/// A <see cref="TextWriter"/> over a tool's standard error that writes UTF-8 and flushes every write, like C's
/// unbuffered stderr, and like it drops what cannot be written (a closed descriptor) instead of failing.
/// </summary>
internal sealed class StderrWriter(Stream stderr) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        WriteOrDrop(stderr, Encoding.UTF8.GetBytes(value));
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> to a standard stream at once (no buffering, as C's stderr), dropping them
    /// when they cannot be written, as C's stdio does.
    /// </summary>
    public static void WriteOrDrop(Stream stream, ReadOnlySpan<byte> bytes)
    {
        try
        {
            stream.Write(bytes);
            stream.Flush();
        }
        catch (IOException)
        {
        }
    }
}
