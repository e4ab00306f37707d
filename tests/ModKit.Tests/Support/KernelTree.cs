namespace ModKit.Tests.Support;

/// <summary>
/// The module trees of Debian 12's current linux-image-amd64 (plain, .ko.xz, .ko.zst), each with index files
/// made by kmod 30's depmod, and of Debian 13's (its shipped .ko.xz and them decompressed), with kmod 34.2's
/// indexes; prepared by scripts/fetch-kernel.sh in a cache outside git.
/// </summary>
internal sealed class KernelTree
{
    private static readonly Lazy<KernelTree> Shared = new(() => Prepare("bookworm", "MODKIT_KERNEL_DIR", ["plain", "xz", "zst"], KmodProfile.Kmod30));
    private static readonly Lazy<KernelTree> SharedTrixie = new(() => Prepare("trixie", "MODKIT_TRIXIE_KERNEL_DIR", ["xz", "plain"], KmodProfile.Kmod34));

    private KernelTree(string cacheDirectory, IReadOnlyList<string> kinds, KmodProfile indexedBy)
    {
        CacheDirectory = cacheDirectory;
        Release = Path.GetFileName(cacheDirectory.TrimEnd('/'));
        TreeKinds = kinds;
        IndexedBy = indexedBy;
    }

    /// <summary>Debian 12's trees (kmod 30's indexes).</summary>
    public static KernelTree Instance => Shared.Value;

    /// <summary>Debian 13's trees (kmod 34.2's indexes).</summary>
    public static KernelTree Trixie => SharedTrixie.Value;

    /// <summary>Debian 12's kinds of tree.</summary>
    public static readonly string[] Kinds = ["plain", "xz", "zst"];

    /// <summary>The kinds of tree this release has.</summary>
    public IReadOnlyList<string> TreeKinds { get; }

    public string CacheDirectory { get; }

    /// <summary>The kmod release whose depmod wrote the index files in the cached module directories.</summary>
    public KmodProfile IndexedBy { get; }

    public string Release { get; }

    /// <summary>The root directory to pass with <c>-b</c>.</summary>
    public string Root(string kind) => Path.Combine(CacheDirectory, kind);

    public string ModuleDirectory(string kind) => Path.Combine(Root(kind), "lib", "modules", Release);

    public IReadOnlyList<string> ModuleFiles(string kind)
    {
        var files = Directory.EnumerateFiles(Path.Combine(ModuleDirectory(kind), "kernel"), "*.ko*", SearchOption.AllDirectories).ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static KernelTree Prepare(string suite, string variable, IReadOnlyList<string> kinds, KmodProfile indexedBy)
    {
        string? fromEnv = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(fromEnv) && Directory.Exists(fromEnv))
        {
            return new KernelTree(fromEnv, kinds, indexedBy);
        }

        var result = ProcessRunner.Run("/bin/bash", [Path.Combine(RepositoryPaths.Root, "scripts", "fetch-kernel.sh"), suite]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("scripts/fetch-kernel.sh failed: " + result.StderrText);
        }

        return new KernelTree(result.StdoutText.Trim(), kinds, indexedBy);
    }
}
