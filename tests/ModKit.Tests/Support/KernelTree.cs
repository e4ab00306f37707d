namespace ModKit.Tests.Support;

/// <summary>
/// The module trees of Debian 12's current linux-image-amd64 (plain, .ko.xz, .ko.zst), each with
/// index files made by kmod's depmod, prepared by scripts/fetch-kernel.sh in a cache outside git.
/// </summary>
internal sealed class KernelTree
{
    private static readonly Lazy<KernelTree> Shared = new(Prepare);

    private KernelTree(string cacheDirectory)
    {
        CacheDirectory = cacheDirectory;
        Release = Path.GetFileName(cacheDirectory.TrimEnd('/'));
    }

    public static KernelTree Instance => Shared.Value;

    public static readonly string[] Kinds = ["plain", "xz", "zst"];

    public string CacheDirectory { get; }

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

    private static KernelTree Prepare()
    {
        string? fromEnv = Environment.GetEnvironmentVariable("MODKIT_KERNEL_DIR");
        if (!string.IsNullOrEmpty(fromEnv) && Directory.Exists(fromEnv))
        {
            return new KernelTree(fromEnv);
        }

        var result = ProcessRunner.Run("/bin/bash", [Path.Combine(RepositoryPaths.Root, "scripts", "fetch-kernel.sh")]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("scripts/fetch-kernel.sh failed: " + result.StderrText);
        }

        return new KernelTree(result.StdoutText.Trim());
    }
}
