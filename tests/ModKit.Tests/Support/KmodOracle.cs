namespace ModKit.Tests.Support;

/// <summary>
/// A kmod release to compare ModKit with, and the ModKit profile that must match it: Debian 12's kmod 30
/// (installed, <see cref="Kmod"/>) or Debian 13's kmod 34.2, which runs here through trixie's own dynamic
/// loader (scripts/fetch-kmod34.sh downloads and unpacks it into the cache).
/// </summary>
internal sealed class KmodOracle
{
    private static readonly Lazy<string> Kmod34Wrappers = new(FetchKmod34);

    private readonly Func<string, string> _wrapper;

    private KmodOracle(KmodProfile profile, Func<string, string> wrapper)
    {
        Profile = profile;
        _wrapper = wrapper;
    }

    /// <summary>Debian 12's kmod 30 (<c>/usr/bin/kmod</c>).</summary>
    public static KmodOracle Kmod30 { get; } = new(KmodProfile.Kmod30, _ => Kmod.Binary);

    /// <summary>Debian 13's kmod 34.2, through trixie's loader.</summary>
    public static KmodOracle Kmod34 { get; } = new(KmodProfile.Kmod34, tool => Path.Combine(Kmod34Wrappers.Value, tool));

    /// <summary>The ModKit profile that behaves as this kmod.</summary>
    public KmodProfile Profile { get; }

    /// <summary>The environment that makes ModKit's binary behave as this kmod (<c>MODKIT_KMOD</c>).</summary>
    public Dictionary<string, string> ModKitEnvironment => new() { ["MODKIT_KMOD"] = Profile.Name };

    /// <summary>The oracle of a profile.</summary>
    public static KmodOracle For(KmodProfile profile) => profile == KmodProfile.Kmod30 ? Kmod30 : Kmod34;

    /// <summary>The oracle named <c>30</c> or <c>34</c> (for test data rows).</summary>
    public static KmodOracle Named(string name) => For(KmodProfile.FromName(name) ?? throw new ArgumentException(name));

    /// <summary>Runs this kmod as <paramref name="tool"/> (argv[0] = the tool's name).</summary>
    public ProcessResult Run(string tool, IEnumerable<string> args, string? workingDirectory = null, TimeSpan? timeout = null,
        IDictionary<string, string>? environment = null)
    {
        if (this == Kmod30)
        {
            return Kmod.Run(tool, args, workingDirectory, timeout, environment);
        }

        // The wrapper script sets argv[0] itself (ld.so --argv0).
        var result = ProcessRunner.Run(_wrapper(tool), args, workingDirectory, environment: environment, timeout: timeout);
        return result with { Stderr = Kmod.NormalizeLibkmodLocation(result.Stderr) };
    }

    /// <summary>Runs this kmod as <paramref name="tool"/> with its standard error closed (<c>2&gt;&amp;-</c>).</summary>
    public ProcessResult RunWithStderrClosed(string tool, IEnumerable<string> args) =>
        this == Kmod30
            ? ProcessRunner.Run("/bin/bash", ["-c", "exec 2>&-; exec -a \"$0\" \"$@\"", tool, Kmod.Binary, .. args])
            : ProcessRunner.Run("/bin/bash", ["-c", "exec 2>&-; exec \"$@\"", "kmod34", _wrapper(tool), .. args]);

    /// <summary>Runs ModKit's binary as <paramref name="tool"/>, in this oracle's profile, with its standard error closed.</summary>
    public ProcessResult RunModKitWithStderrClosed(string tool, IEnumerable<string> args) =>
        ProcessRunner.Run("/bin/bash", ["-c", "exec 2>&-; exec -a \"$0\" \"$@\"", tool, BuiltBinary.Path, .. args],
            environment: ModKitEnvironment);

    /// <summary>
    /// How to start this kmod under any argv[0] (a tool's name, <c>kmod</c>, or a name kmod does not know): the
    /// program, the arguments before kmod's own, and the argv[0] to give the program (<c>exec -a</c>), if any.
    /// </summary>
    public (string Program, IReadOnlyList<string> Prefix, string? Argv0) Invocation(string argv0)
    {
        if (this == Kmod30)
        {
            return (Kmod.Binary, [], argv0);
        }

        // The wrapper is "exec LOADER --library-path LIBS --argv0 kmod KMOD "$@"": the same with another argv[0].
        string exec = File.ReadAllLines(_wrapper("kmod")).Single(l => l.StartsWith("exec ", StringComparison.Ordinal));
        string[] words = exec.Split(' ');
        return (words[1], [words[2], words[3], "--argv0", argv0, words[6]], null);
    }

    /// <summary>
    /// A bash command line that runs this kmod as <paramref name="tool"/> with the shell's arguments
    /// (<c>"$@"</c>), for tests that must set up the process's descriptors themselves.
    /// </summary>
    public string BashCommand(string tool) =>
        this == Kmod30 ? $"exec -a {tool} {Kmod.Binary} \"$@\"" : $"exec {_wrapper(tool)} \"$@\"";

    /// <summary>Runs ModKit's binary as <paramref name="tool"/> in this oracle's profile.</summary>
    public ProcessResult RunModKit(string tool, IEnumerable<string> args, string? workingDirectory = null, TimeSpan? timeout = null,
        IDictionary<string, string>? environment = null)
    {
        var merged = ModKitEnvironment;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            merged[key] = value;
        }

        return ProcessRunner.Run(BuiltBinary.Path, args, workingDirectory, argv0: tool, environment: merged, timeout: timeout);
    }

    /// <inheritdoc/>
    public override string ToString() => Profile.ToString();

    private static string FetchKmod34()
    {
        var result = ProcessRunner.Run("/bin/bash", [Path.Combine(RepositoryPaths.Root, "scripts", "fetch-kmod34.sh")]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("scripts/fetch-kmod34.sh failed: " + result.StderrText);
        }

        return result.StdoutText.Trim();
    }
}
