using System.Text;
using ModKit.IO;

namespace ModKit.Config;

/// <summary>
/// Finds and reads the modprobe.d files and the kernel command line the way libkmod does
/// (<c>libkmod-config.c: kmod_config_new</c>, <c>conf_files_list</c>).
/// </summary>
public sealed class ModprobeConfigLoader
{
    /// <summary>
    /// The longest configuration file read (64 MiB); a longer one, or an endless one such as <c>-C /dev/zero</c>,
    /// is skipped like an unreadable file. kmod has no limit and reads <c>/dev/zero</c> until memory runs out.
    /// </summary>
    public const int MaxFileLength = 64 << 20;

    // PATH_MAX: a folder's file whose path does not fit is reported and skipped.
    private const int PathMax = 4096;

    // The files given by themselves (-C FILE), by base name.
    private readonly Dictionary<string, string> _singleFiles = new(StringComparer.Ordinal);

    // Whether the last folder entry kmod 30 stat'ed was a folder (see ListFiles).
    private bool _lastStatWasDirectory;

    /// <summary>
    /// The kmod release whose rules apply: its default folders (<see cref="KmodProfile.ModprobeConfigDirectories"/>),
    /// whether <c>*.alias</c> files and <c>weakdep</c> lines are read.
    /// </summary>
    public KmodProfile Profile { get; init; } = KmodProfile.BuildDefault;

    /// <summary>The folder the default paths and <c>/proc/cmdline</c> are looked up under; <c>/</c> by default.</summary>
    public string RootDirectory { get; init; } = "/";

    /// <summary>
    /// Explicit files or folders (modprobe's <c>-C</c>), used as given instead of the default paths, or
    /// null for the defaults under <see cref="RootDirectory"/>.
    /// </summary>
    public IReadOnlyList<string>? ConfigPaths { get; init; }

    /// <summary>
    /// The module folder (e.g. <c>/lib/modules/6.1.0</c>) whose <c>modules.softdep</c> (and, with weak
    /// dependencies, <c>modules.weakdep</c>) joins the sorted file list, or null for none.
    /// </summary>
    public string? ModuleDirectory { get; init; }

    /// <summary>
    /// The kernel command line to take options and blacklists from, or null to read
    /// <c>proc/cmdline</c> under <see cref="RootDirectory"/> (silently nothing when it cannot be read).
    /// </summary>
    public string? KernelCommandLine { get; init; }

    /// <summary>Called for each error as it is found, in addition to <see cref="ModprobeConfig.Diagnostics"/>.</summary>
    public Action<ConfigDiagnostic>? OnDiagnostic { get; init; }

    /// <summary>Reads the configuration.</summary>
    /// <returns>The configuration; unreadable files and folders are skipped, as kmod skips them.</returns>
    public ModprobeConfig Load()
    {
        var config = new ModprobeConfig();
        _singleFiles.Clear();
        _lastStatWasDirectory = false;

        // All files of all folders in one list sorted by base name; a base name seen in an earlier
        // (higher-precedence) path hides the later ones, so /etc/modprobe.d/x.conf replaces /lib's.
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ModuleDirectory is not null)
        {
            files.TryAdd("modules.softdep", Path.Combine(ModuleDirectory, "modules.softdep"));
            if (Profile.ParsesWeakDependencies)
            {
                files.TryAdd("modules.weakdep", Path.Combine(ModuleDirectory, "modules.weakdep"));
            }
        }

        foreach (string path in ConfigPaths ?? Profile.ModprobeConfigDirectories.Select(Rooted).ToList())
        {
            ListFiles(path, files, config);
        }

        // conf_files_insert_sorted: strcmp order of the base names.
        var sorted = new List<KeyValuePair<string, string>>(files);
        sorted.Sort(static (x, y) => CompareUtf8(x.Key, y.Key));
        var parser = new ModprobeConfigParser(config, Profile.ParsesWeakDependencies, Profile.ConfigKeepsEndOfFileAfterBackslash, OnDiagnostic);
        foreach (var (name, file) in sorted)
        {
            // kmod joins a folder and a name in a PATH_MAX buffer (a file given by itself is used as it is).
            if (!ReferenceEquals(file, _singleFiles.GetValueOrDefault(name)) && Encoding.UTF8.GetByteCount(file) >= PathMax)
            {
                config.Report("kmod_config_new", $"Error parsing {file}: path too long", OnDiagnostic);
                continue;
            }

            // kmod opens each file and parses what it can read; one it cannot open is skipped silently.
            if (NativeFile.ReadAll(file, out byte[] data, MaxFileLength) != 0)
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

    private byte[]? ReadProcCmdline() => NativeFile.ReadAll(Rooted("/proc/cmdline"), out byte[] contents) == 0 ? contents : null;

    // conf_files_list: a folder contributes its *.conf files, anything else that exists counts as one file.
    private void ListFiles(string path, Dictionary<string, string> files, ModprobeConfig config)
    {
        var entries = new List<(string Name, byte Type)>();
        int error = NativeFile.ListDirectory(path, entries);
        if (error == Errno.ENOTDIR)
        {
            // A single file counts under its base name, and is opened by the path as given.
            if (files.TryAdd(Modules.ModuleName.BaseName(path), path))
            {
                _singleFiles[Modules.ModuleName.BaseName(path)] = path;
            }

            return;
        }

        if (error != 0)
        {
            // kmod is silent when it cannot stat the path, and complains when a folder will not open.
            if (error != Errno.ENOENT && Directory.Exists(path))
            {
                config.Report("conf_files_list", $"opendir({path}): {Errno.Describe(error)}", OnDiagnostic);
            }

            return;
        }

        foreach (var (name, type) in entries)
        {
            // conf_files_filter_out: no hidden files, only *.conf (and, up to kmod 32, *.alias).
            if (name.StartsWith('.') || name.Length < 6 ||
                !(name.EndsWith(".conf", StringComparison.Ordinal) || (Profile.ReadsAliasConfigFiles && name.EndsWith(".alias", StringComparison.Ordinal))))
            {
                continue;
            }

            // kmod stats every name it keeps; the directory entry's type spares that for regular files.
            string full = path + "/" + name;
            bool isDirectory;
            if (type == NativeFile.RegularFileType)
            {
                isDirectory = false;
            }
            else if (NativeFile.Stat(full) == 0)
            {
                isDirectory = Directory.Exists(full);
            }
            else if (Profile.ConfigReportsUnstatableEntries)
            {
                // kmod 34: a name it cannot stat (a dangling link) is reported and skipped.
                config.Report("conf_files_filter_out", $"Cannot stat directory entry: {full}", OnDiagnostic);
                continue;
            }
            else
            {
                // kmod 30 ignores fstatat's failure and reads the stat buffer it left alone, which still
                // holds the previous entry's: after a folder the link is "a directory", otherwise a file
                // that then fails to open without a word.
                isDirectory = _lastStatWasDirectory;
            }

            _lastStatWasDirectory = isDirectory;
            if (isDirectory)
            {
                config.Report("conf_files_filter_out", $"Directories inside directories are not supported: {full}", OnDiagnostic);
                continue;
            }

            files.TryAdd(name, full);
        }
    }

    // strcmp on the UTF-8 bytes, which ordinal UTF-16 order differs from only where a string has a character above U+D7FF.
    private static int CompareUtf8(string x, string y)
    {
        if (!HasHighCharacter(x) && !HasHighCharacter(y))
        {
            return string.CompareOrdinal(x, y);
        }

        return Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y));
    }

    private static bool HasHighCharacter(string s) => s.AsSpan().IndexOfAnyInRange('\uD800', '\uFFFF') >= 0;
}
