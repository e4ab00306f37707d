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
