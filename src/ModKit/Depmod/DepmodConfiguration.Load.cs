using System.Text;
using System.Text.RegularExpressions;

namespace ModKit.Depmod;

public sealed partial class DepmodConfiguration
{
    /// <summary>
    /// Reads depmod.d configuration as kmod's <c>cfg_load</c> does: the <c>.conf</c> files of the given
    /// directories (and the given plain files), merged by file name — the first directory holding a name wins —
    /// and parsed in name order.
    /// </summary>
    /// <param name="paths">Directories or files, e.g. <see cref="KmodProfile.DepmodConfigDirectories"/> or the <c>-C</c> arguments.</param>
    /// <param name="kernelVersion">The kernel release <c>override</c> and <c>external</c> lines are matched against.</param>
    /// <param name="profile">The kmod release whose listing rules apply (<see cref="KmodProfile.DepmodSkipsUnreadableConfigEntries"/>).</param>
    /// <param name="log">Receives kmod's messages (bad lines, skipped files).</param>
    /// <returns>The configuration.</returns>
    public static DepmodConfiguration Load(IEnumerable<string> paths, string kernelVersion, KmodProfile profile, Action<DepmodLogLevel, string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(kernelVersion);
        ArgumentNullException.ThrowIfNull(profile);
        log ??= (_, _) => { };
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string path in paths)
        {
            if (File.Exists(path))
            {
                files.TryAdd(Path.GetFileName(path), path);
                continue;
            }

            if (!Directory.Exists(path))
                continue;
            foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos())
            {
                string name = entry.Name;
                if (name.StartsWith('.'))
                    continue;
                if (name.Length < 6 || !name.EndsWith(".conf", StringComparison.Ordinal))
                {
                    log(DepmodLogLevel.Info, $"All cfg files need .conf: {path}/{name}");
                    continue;
                }

                if (profile.DepmodSkipsUnreadableConfigEntries && ModKit.IO.NativeFile.Stat(path + "/" + name) != 0)
                {
                    // kmod ≥ 34 stats each entry (following links) and joins folder and name without a slash here.
                    log(DepmodLogLevel.Error, $"Cannot stat directory entry: {path}{name}");
                    continue;
                }

                if (Directory.Exists(entry.FullName))
                {
                    log(DepmodLogLevel.Error, $"Directories inside directories are not supported: {path}/{name}");
                    continue;
                }

                files.TryAdd(name, path + "/" + name);
            }
        }

        var configuration = new DepmodConfiguration();
        foreach (string file in files.Values)
            configuration.Parse(file, kernelVersion, log);
        return configuration;
    }

    /// <summary>Parses one depmod.d file into this configuration (kmod <c>cfg_file_parse</c>).</summary>
    /// <param name="file">The file.</param>
    /// <param name="kernelVersion">The kernel release to match <c>override</c> and <c>external</c> against.</param>
    /// <param name="log">Receives kmod's messages.</param>
    public void Parse(string file, string kernelVersion, Action<DepmodLogLevel, string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        log ??= (_, _) => { };
        string text;
        try
        {
            text = File.ReadAllText(file, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log(DepmodLogLevel.Error, $"file parse {file}: {Errno.DescribeFileError(e)}");
            return;
        }

        foreach (var (number, line) in WrappedLines(text))
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
                continue;
            string command = words[0];
            switch (command)
            {
                case "search":
                    // Every word, in order: the earlier, the higher the priority.
                    Searches.AddRange(words.Skip(1));
                    break;
                case "override" when words.Length >= 4:
                    if (KernelMatches(words[2], kernelVersion))
                        Overrides.Add(words[3] + "/" + words[1]);
                    else
                        log(DepmodLogLevel.Info, $"{file}:{number}: override kernel did not match {words[2]}");
                    break;
                case "external" when words.Length >= 3:
                    if (KernelMatches(words[1], kernelVersion))
                        Externals.Add(words[2]);
                    else
                        log(DepmodLogLevel.Info, $"{file}:{number}: external directory did not match {words[1]}");
                    break;
                case "exclude":
                    Excludes.AddRange(words.Skip(1));
                    break;
                case "include" or "make_map_files":
                    log(DepmodLogLevel.Info, $"{file}:{number}: command {command} not implemented yet");
                    break;
                default:
                    log(DepmodLogLevel.Error, $"{file}:{number}: ignoring bad line starting with '{command}'");
                    break;
            }
        }
    }

    /// <summary><c>*</c>, or a POSIX extended regular expression searched for in the release (kmod <c>cfg_kernel_matches</c>).</summary>
    private static bool KernelMatches(string pattern, string kernelVersion)
    {
        if (pattern == "*")
            return true;
        try
        {
            return Regex.IsMatch(kernelVersion, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Lines with backslash-newline continuations joined, numbered by their last physical line (kmod <c>freadline_wrapped</c>).</summary>
    private static IEnumerable<(int Number, string Line)> WrappedLines(string text)
    {
        var lines = text.Split('\n');
        int count = text.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        var current = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            string line = lines[i];
            if (line.EndsWith('\\'))
            {
                current.Append(line, 0, line.Length - 1);
                continue;
            }

            current.Append(line);
            yield return (i + 1, current.ToString());
            current.Clear();
        }

        if (current.Length > 0)
            yield return (count, current.ToString());
    }
}
