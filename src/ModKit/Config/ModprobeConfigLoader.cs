using System.Text;

namespace ModKit.Config;

/// <summary>
/// Finds and reads the modprobe.d files and the kernel command line the way libkmod does
/// (<c>libkmod-config.c: kmod_config_new</c>, <c>conf_files_list</c>).
/// </summary>
public sealed class ModprobeConfigLoader
{
    /// <summary>
    /// kmod 30's default search list, highest precedence first (<c>libkmod.c: default_config_paths</c>).
    /// </summary>
    public static IReadOnlyList<string> DefaultPaths { get; } =
        ["/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d", "/lib/modprobe.d"];

    /// <summary>The folder the default paths and <c>/proc/cmdline</c> are looked up under; <c>/</c> by default.</summary>
    public string RootDirectory { get; init; } = "/";

    /// <summary>
    /// Explicit files or folders (modprobe's <c>-C</c>), used as given instead of the default paths, or
    /// null for the defaults under <see cref="RootDirectory"/>.
    /// </summary>
    public IReadOnlyList<string>? ConfigPaths { get; init; }

    /// <summary>
    /// The module folder (e.g. <c>/lib/modules/6.1.0</c>) whose <c>modules.softdep</c> joins the sorted file
    /// list, or null for none.
    /// </summary>
    public string? ModuleDirectory { get; init; }

    /// <summary>
    /// The kernel command line to take options and blacklists from, or null to read
    /// <c>proc/cmdline</c> under <see cref="RootDirectory"/> (silently nothing when it cannot be read).
    /// </summary>
    public string? KernelCommandLine { get; init; }

    /// <summary>Accept <c>weakdep</c> lines (kmod 33); kmod 30 reports them as bad lines.</summary>
    public bool ParseWeakDependencies { get; init; }

    /// <summary>Called for each error as it is found, in addition to <see cref="ModprobeConfig.Diagnostics"/>.</summary>
    public Action<ConfigDiagnostic>? OnDiagnostic { get; init; }

    /// <summary>Reads the configuration.</summary>
    /// <returns>The configuration; unreadable files and folders are skipped, as kmod skips them.</returns>
    public ModprobeConfig Load()
    {
        var config = new ModprobeConfig();

        // All files of all folders in one list sorted by base name; a base name seen in an earlier
        // (higher-precedence) path hides the later ones, so /etc/modprobe.d/x.conf replaces /lib's.
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ModuleDirectory is not null)
        {
            files.TryAdd("modules.softdep", Path.Combine(ModuleDirectory, "modules.softdep"));
        }

        foreach (string path in ConfigPaths ?? DefaultPaths.Select(Rooted).ToList())
        {
            ListFiles(path, files, config);
        }

        var parser = new ModprobeConfigParser(config, ParseWeakDependencies, OnDiagnostic);
        foreach (var (_, file) in files.OrderBy(f => f.Key, Utf8Ordinal.Instance))
        {
            byte[] data;
            try
            {
                data = File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            config.FileList.Add(file);
            parser.ParseFile(data, file);
        }

        byte[]? commandLine = KernelCommandLine is not null ? Encoding.UTF8.GetBytes(KernelCommandLine) : ReadProcCmdline();
        if (commandLine is not null)
        {
            KernelCommandLineParser.Parse(commandLine, config, OnDiagnostic);
        }

        return config;
    }

    // Paths exactly as kmod would name them when the root is "/", so messages match.
    private string Rooted(string path) => RootDirectory.TrimEnd('/') + path;

    private byte[]? ReadProcCmdline()
    {
        try
        {
            return File.ReadAllBytes(Rooted("/proc/cmdline"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void ListFiles(string path, Dictionary<string, string> files, ModprobeConfig config)
    {
        if (Directory.Exists(path))
        {
            IEnumerable<string> entries;
            try
            {
                entries = Directory.EnumerateFileSystemEntries(path).Select(e => Path.GetFileName(e)).ToList();
            }
            catch (UnauthorizedAccessException)
            {
                config.Report("conf_files_list", $"opendir({path}): Permission denied", OnDiagnostic);
                return;
            }

            foreach (string name in entries)
            {
                // conf_files_filter_out: no hidden files, only *.conf (and, up to kmod 32, *.alias).
                if (name.StartsWith('.') || name.Length < 6 || !(name.EndsWith(".conf", StringComparison.Ordinal) || name.EndsWith(".alias", StringComparison.Ordinal)))
                {
                    continue;
                }

                string full = path + "/" + name;
                if (Directory.Exists(full))
                {
                    config.Report("conf_files_filter_out", $"Directories inside directories are not supported: {full}", OnDiagnostic);
                    continue;
                }

                files.TryAdd(name, full);
            }
        }
        else if (File.Exists(path))
        {
            // A single file counts under its base name, and is opened by the path as given.
            files.TryAdd(Modules.ModuleName.BaseName(path), path);
        }
    }

    private sealed class Utf8Ordinal : IComparer<string>
    {
        public static readonly Utf8Ordinal Instance = new();

        // strcmp order: the UTF-8 bytes, which ordinal UTF-16 order differs from only above U+D7FF.
        public int Compare(string? x, string? y) =>
            Encoding.UTF8.GetBytes(x ?? string.Empty).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y ?? string.Empty));
    }
}
