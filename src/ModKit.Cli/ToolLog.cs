namespace ModKit.Cli;

/// <summary>
/// kmod's tool logger (<c>tools/log.c</c>): messages go to standard error as
/// <c>"&lt;prog&gt;: &lt;PRIO&gt;: &lt;message&gt;"</c>, unbuffered so they interleave with output as kmod's do;
/// or, after <see cref="UseSyslog"/>, to syslog as <c>"&lt;PRIO&gt;: &lt;message&gt;"</c>.
/// </summary>
internal sealed class ToolLog(string program, Stream stderr)
{
    /// <summary>syslog priorities (<c>LOG_CRIT</c> ... <c>LOG_DEBUG</c>).</summary>
    public const int LogCrit = 2, LogErr = 3, LogWarning = 4, LogNotice = 5, LogInfo = 6, LogDebug = 7;

    private Action<int, string>? _syslog;

    public string Program { get; } = program;

    /// <summary>
    /// The highest priority number still printed, for messages that go through libkmod's log
    /// (<c>log_setup_kmod_log</c>): <see cref="LogErr"/> by default, one more for each <c>-v</c>.
    /// </summary>
    public int Verbosity { get; set; } = LogErr;

    /// <summary>Sends messages to syslog from now on (<c>log_open(true)</c>); <see langword="null"/> keeps standard error.</summary>
    private void UseSyslog(Action<int, string>? sink) => _syslog = sink;

    /// <summary>
    /// Chooses where messages go once the options are read (<c>log_open</c>): syslog when <paramref name="syslog"/>
    /// (<c>-s</c>), or when <paramref name="syslogWhenStderrClosed"/> and the standard error is closed (modprobe);
    /// standard error otherwise.
    /// </summary>
    public void Open(ToolContext context, bool syslog, bool syslogWhenStderrClosed = false)
    {
        if (syslog || (syslogWhenStderrClosed && !context.StderrIsOpen()))
        {
            UseSyslog(context.Syslog?.Invoke(Program) ?? ((_, _) => { }));
        }
    }

    public void Error(string message) => Write(LogErr, "ERROR", message);

    /// <summary>An error whose line the caller finishes itself (kmod's <c>ERR</c> with a format that has no newline).</summary>
    public void ErrorWithoutNewline(string message) => Write(LogErr, "ERROR", message, newline: false);

    public void Warning(string message) => Write(LogWarning, "WARNING", message);

    public void Notice(string message) => Write(LogNotice, "NOTICE", message);

    public void Info(string message) => Write(LogInfo, "INFO", message);

    /// <summary>A message libkmod logs at <paramref name="priority"/>: printed only within <see cref="Verbosity"/>.</summary>
    public void Library(int priority, string message)
    {
        if (priority <= Verbosity)
        {
            Write(priority, priority switch
            {
                LogCrit => "FATAL",
                LogErr => "ERROR",
                LogWarning => "WARNING",
                LogNotice => "NOTICE",
                LogInfo => "INFO",
                _ => "DEBUG",
            }, message);
        }
    }

    /// <summary>Writes a raw line (already formatted) to standard error; dropped when that cannot be written, as C's stderr drops it.</summary>
    public void Raw(string text) => StderrWriter.WriteOrDrop(stderr, System.Text.Encoding.UTF8.GetBytes(text));

    private void Write(int priority, string name, string message, bool newline = true)
    {
        if (_syslog is not null)
        {
            // syslog(prio, "%s: %s", prioname, msg): kmod's message keeps its newline, as glibc sends it.
            _syslog(priority, $"{name}: {message}{(newline ? "\n" : string.Empty)}");
            return;
        }

        Raw($"{Program}: {name}: {message}{(newline ? "\n" : string.Empty)}");
    }
}
