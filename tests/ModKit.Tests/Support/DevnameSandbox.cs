namespace ModKit.Tests.Support;

/// <summary>
/// Runs kmod or ModKit's binary where <c>/lib/modules/$(uname -r)/modules.devname</c> is a file of the test's:
/// <c>kmod static-nodes</c> reads that path of the running kernel and nothing else, and this host's kernel has
/// no module folder. Each run is a private mount namespace (<c>unshare --mount</c>, as root) with a tmpfs over
/// <c>/lib/modules</c>, so the host's folder is never touched, and a fresh working folder whose files (what
/// <c>--output</c> wrote) come back with the result.
/// </summary>
internal static class DevnameSandbox
{
    // $1: the file to install ("-": none, "DIR": a folder in its place); $2: shell commands run in the working
    // folder first (files to find there, "exec >&-" to close standard output); $3: argv[0] ("" to keep the
    // program's); $4: "tty" to run on a terminal (script(1): standard output and error both go to it, and
    // come back as standard output); the rest: the program and its arguments.
    private const string Script = """
        set -e
        mount -t tmpfs -o mode=0755 modkit-devname /lib/modules
        dir=/lib/modules/$(uname -r)
        mkdir -p "$dir"
        case "$1" in
            -) ;;
            DIR) mkdir "$dir/modules.devname" ;;
            *) cp "$1" "$dir/modules.devname" ;;
        esac
        setup=$2 argv0=$3 terminal=$4
        shift 4
        set +e
        eval "$setup"
        command="exec"
        if [ -n "$argv0" ]; then command="exec -a $(printf '%q' "$argv0")"; fi
        if [ -n "$terminal" ]; then SHELL=/bin/bash exec script -qec "$command $(printf '%q ' "$@")" /dev/null; fi
        eval "$command $(printf '%q ' "$@")"
        """;

    /// <summary>What a run printed, its exit status, and the files it left in its working folder.</summary>
    public sealed record Outcome(ProcessResult Result, IReadOnlyDictionary<string, byte[]?> Files)
    {
        public bool SameAs(Outcome other) =>
            Result.SameAs(other.Result)
            && Files.Count == other.Files.Count
            && Files.All(f => other.Files.TryGetValue(f.Key, out var o) && (f.Value ?? []).AsSpan().SequenceEqual(o ?? []) && (f.Value is null) == (o is null));

        public string DescribeDifference(Outcome expected)
        {
            string files = string.Join(", ", Files.Keys.Order());
            string expectedFiles = string.Join(", ", expected.Files.Keys.Order());
            return Result.DescribeDifference(expected.Result) + (files == expectedFiles ? "" : $"; files [{files}], kmod [{expectedFiles}]")
                + (Result.SameAs(expected.Result) && files == expectedFiles ? "; a file's contents differ" : "");
        }
    }

    /// <summary>A <c>modules.devname</c> for a run: bytes, none at all, or a folder in its place.</summary>
    public sealed record Input(byte[]? Contents, bool IsDirectory = false)
    {
        public static Input Missing { get; } = new(Contents: null);

        public static Input Folder { get; } = new(Contents: null, IsDirectory: true);

        public static Input Of(byte[] contents) => new(contents);

        public static Input FromFile(string path) => new(File.ReadAllBytes(path));
    }

    /// <summary>Runs the kmod of <paramref name="oracle"/> as <paramref name="argv0"/>.</summary>
    public static Outcome RunKmod(KmodOracle oracle, Input input, string argv0, IReadOnlyList<string> args, string setup = "", bool terminal = false)
    {
        var (program, prefix, name) = oracle.Invocation(argv0);
        return Run(input, setup, name ?? "", terminal, [program, .. prefix, .. args], environment: null);
    }

    /// <summary>Runs ModKit's binary as <paramref name="argv0"/> in the profile matching <paramref name="oracle"/>.</summary>
    public static Outcome RunModKit(KmodOracle oracle, Input input, string argv0, IReadOnlyList<string> args, string setup = "", bool terminal = false) =>
        Run(input, setup, argv0, terminal, [BuiltBinary.Path, .. args], oracle.ModKitEnvironment);

    /// <summary>Runs any command (a shell, say) in the sandbox, with <paramref name="environment"/> added.</summary>
    public static Outcome RunCommand(Input input, IReadOnlyList<string> command, IDictionary<string, string>? environment = null) =>
        Run(input, "", "", terminal: false, command, environment);

    private static Outcome Run(Input input, string setup, string argv0, bool terminal, IReadOnlyList<string> command, IDictionary<string, string>? environment)
    {
        using var work = new TempDirectory();
        string source = "-";
        if (input.IsDirectory)
        {
            source = "DIR";
        }
        else if (input.Contents is not null)
        {
            source = Path.Combine(Path.GetTempPath(), $"modkit-devname-{Guid.NewGuid():N}");
            File.WriteAllBytes(source, input.Contents);
        }

        string cwd = Path.Combine(work.Path, "cwd");
        Directory.CreateDirectory(cwd);
        try
        {
            string unshare = ProcessRunner.Require("unshare");
            var result = ProcessRunner.Run(unshare, ["--mount", "/bin/bash", "-c", Script, "bash", source, setup, argv0, terminal ? "tty" : "", .. command],
                cwd, environment: environment, timeout: TimeSpan.FromMinutes(1));
            return new Outcome(result with { Stderr = Kmod.NormalizeLibkmodLocation(result.Stderr) }, ReadFiles(cwd));
        }
        finally
        {
            if (source.StartsWith('/'))
            {
                File.Delete(source);
            }
        }
    }

    // Every file and folder under the working folder, by relative path (folders with null contents).
    private static Dictionary<string, byte[]?> ReadFiles(string root)
    {
        var files = new Dictionary<string, byte[]?>();
        foreach (string entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, entry);
            files[relative] = Directory.Exists(entry) ? null : File.ReadAllBytes(entry);
        }

        return files;
    }
}
