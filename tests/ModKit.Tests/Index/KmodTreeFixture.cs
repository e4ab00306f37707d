using ModKit.Tests.Support;

namespace ModKit.Tests.Index;

/// <summary>
/// Index files made by the machine's kmod depmod over Debian's real module tree (fetched by
/// <c>scripts/fetch-kernel.sh</c>), generated once per test run into a temporary root. Missing kmod or a
/// missing tree fails the tests that use this fixture; nothing is skipped.
/// </summary>
public sealed class KmodTreeFixture : IDisposable
{
    public KmodTreeFixture()
    {
        (Release, string source) = FindTree();
        Root = Directory.CreateTempSubdirectory("modkit-kmodtree-").FullName;
        ModuleDirectory = Path.Combine(Root, "lib", "modules", Release);
        Directory.CreateDirectory(ModuleDirectory);
        foreach (string entry in Directory.EnumerateFileSystemEntries(source))
        {
            string target = Path.Combine(ModuleDirectory, Path.GetFileName(entry));
            if (Directory.Exists(entry))
                Directory.CreateSymbolicLink(target, entry);
            else
                File.CreateSymbolicLink(target, entry);
        }

        // An empty configuration directory keeps the machine's /etc/modprobe.d out of modprobe's answers.
        EmptyConfig = Path.Combine(Root, "empty-modprobe.d");
        Directory.CreateDirectory(EmptyConfig);

        Depmod = ProcessRunner.Require("depmod");
        Modprobe = ProcessRunner.Require("modprobe");
        var depmod = ProcessRunner.Run(Depmod, ["-b", Root, Release]);
        if (depmod.ExitCode != 0)
            throw new InvalidOperationException($"depmod failed ({depmod.ExitCode}): {depmod.StderrText}");
    }

    public string Release { get; }

    public string Root { get; }

    public string ModuleDirectory { get; }

    public string EmptyConfig { get; }

    public string Depmod { get; }

    public string Modprobe { get; }

    public string PathOf(string name) => Path.Combine(ModuleDirectory, name);

    /// <summary>modprobe against the generated tree, without the machine's configuration.</summary>
    public (int ExitCode, string Stdout, string Stderr) RunModprobe(IEnumerable<string> arguments)
    {
        var result = ProcessRunner.Run(Modprobe, ["-d", Root, "-S", Release, "-C", EmptyConfig, .. arguments]);
        return (result.ExitCode, result.StdoutText, result.StderrText);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static (string Release, string ModuleDirectory) FindTree()
    {
        string cache = Environment.GetEnvironmentVariable("MODKIT_CACHE")
            ?? Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "modkit");
        if (Directory.Exists(cache))
        {
            foreach (string releaseDirectory in Directory.EnumerateDirectories(cache).Order())
            {
                string release = Path.GetFileName(releaseDirectory);
                string modules = Path.Combine(releaseDirectory, "plain", "lib", "modules", release);
                if (File.Exists(Path.Combine(modules, "modules.order")))
                    return (release, modules);
            }
        }

        throw new InvalidOperationException($"no kernel module tree under {cache}: run scripts/fetch-kernel.sh");
    }
}
