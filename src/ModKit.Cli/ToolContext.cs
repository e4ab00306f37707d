using ModKit.Kernel;

namespace ModKit.Cli;

/// <summary>
/// Everything a tool may touch of the world: its output streams, environment, working directory,
/// the root its default paths live under and the running kernel's release. Program builds the real
/// one; tests build one over a fake root and run every tool in-process, as kmod's testsuite does.
/// </summary>
internal sealed class ToolContext
{
    public required Stream Stdout { get; init; }

    public required Stream Stderr { get; init; }

    /// <summary>
    /// Whether standard error was open when the tool started (<c>fstat</c> on descriptor 2 succeeded); modprobe logs
    /// to syslog when it was not (<see cref="KmodProfile.SyslogWhenStderrClosed"/>). Open unless told otherwise.
    /// </summary>
    public Func<bool> StderrIsOpen { get; init; } = static () => true;

    private IReadOnlyDictionary<string, string>? _environment;
    private Func<IReadOnlyDictionary<string, string>>? _readEnvironment;

    /// <summary>The environment variables (empty unless given or <see cref="EnvironmentSource"/> reads them).</summary>
    public IReadOnlyDictionary<string, string> Environment
    {
        get => _environment ??= _readEnvironment?.Invoke() ?? new Dictionary<string, string>();
        init => _environment = value;
    }

    /// <summary>Reads <see cref="Environment"/> when a tool first asks for it: a short run that never does skips copying the process's environment.</summary>
    public Func<IReadOnlyDictionary<string, string>> EnvironmentSource
    {
        init => _readEnvironment = value;
    }

    /// <summary>
    /// Reads one variable without copying the whole environment (<c>getenv</c>); used by
    /// <see cref="GetEnvironmentVariable"/> until <see cref="Environment"/> has been read or given.
    /// </summary>
    public Func<string, string?>? EnvironmentVariableSource { get; init; }

    /// <summary>One environment variable, or <see langword="null"/> when it is not set.</summary>
    public string? GetEnvironmentVariable(string name)
    {
        if (_environment is null && EnvironmentVariableSource is not null)
        {
            return EnvironmentVariableSource(name);
        }

        return Environment.TryGetValue(name, out string? value) ? value : null;
    }

    /// <summary>The directory relative paths are resolved against.</summary>
    public required string CurrentDirectory { get; init; }

    /// <summary>The root directory that default paths (<c>/lib/modules</c>, <c>/etc</c>) live under: <c>/</c> on a real system.</summary>
    public string Root { get; init; } = "/";

    /// <summary>The running kernel: module system calls, <c>/proc</c> and <c>/sys</c> (a <see cref="FakeKernel"/> in tests).</summary>
    public required IKernel Kernel { get; init; }

    /// <summary>Where <c>-s/--syslog</c> sends a tool's messages (priority, text); <see langword="null"/> drops them.</summary>
    public Func<string, Action<int, string>>? Syslog { get; init; }

    /// <summary>
    /// Runs a shell command as <c>system(3)</c> would, with the given environment, sharing the standard
    /// streams; returns the wait status or -1 (modprobe's install and remove commands).
    /// <see cref="ModKit.Probe.ShellCommand.Run"/> in the real program; tests record the calls.
    /// </summary>
    public Func<string, IReadOnlyDictionary<string, string>, int> Shell { get; init; } = (_, _) => -1;

    /// <summary>The kmod release the tools behave as (the build's default unless <c>MODKIT_KMOD</c> chose another).</summary>
    public KmodProfile Profile { get; init; } = KmodProfile.BuildDefault;

    /// <summary>The running kernel's release (<c>uname -r</c>).</summary>
    public required Func<string> KernelRelease { get; init; }

    /// <summary>Makes <paramref name="path"/> absolute against <see cref="CurrentDirectory"/> without normalising it, as kmod's <c>path_make_absolute_cwd</c> does.</summary>
    public string MakeAbsolute(string path) =>
        path.StartsWith('/') ? path : CurrentDirectory.TrimEnd('/') + "/" + path;

    /// <summary>Places an absolute system path (such as <c>/lib/modules</c>) under <see cref="Root"/>.</summary>
    public string UnderRoot(string absolutePath) =>
        Root == "/" ? absolutePath : Root.TrimEnd('/') + absolutePath;
}
