namespace ModKit.Cli;

/// <summary>
/// kmod's tool logger (<c>tools/log.c</c>): messages go to standard error as
/// <c>"&lt;prog&gt;: &lt;PRIO&gt;: &lt;message&gt;"</c>, unbuffered so they interleave with output as kmod's do.
/// </summary>
internal sealed class ToolLog(string program, Stream stderr)
{
    public string Program { get; } = program;

    public void Error(string message) => Write("ERROR", message);

    public void Warning(string message) => Write("WARNING", message);

    public void Notice(string message) => Write("NOTICE", message);

    public void Info(string message) => Write("INFO", message);

    /// <summary>Writes a raw line (already formatted) to standard error.</summary>
    public void Raw(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        stderr.Write(bytes);
        stderr.Flush();
    }

    private void Write(string priority, string message) => Raw($"{Program}: {priority}: {message}\n");
}
