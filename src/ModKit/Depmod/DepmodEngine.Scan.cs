using System.IO.Enumeration;
using ModKit.Files;
using ModKit.Modules;

namespace ModKit.Depmod;

public static partial class DepmodEngine
{
    /// <summary>
    /// Walks the module directory, then each external directory (kmod <c>depmod_modules_search</c>), in
    /// directory-listing order, keeping one file per module name by depmod.d priority.
    /// </summary>
    private static Dictionary<string, DepmodModule> Scan(DepmodSettings settings, Action<DepmodLogLevel, string> log)
    {
        var found = new Dictionary<string, DepmodModule>(StringComparer.Ordinal);
        var config = settings.Configuration;
        if (!Directory.Exists(settings.ModuleDirectory))
        {
            // kmod: an error for the directory, then the caller's "could not search modules" with the errno alone.
            log(DepmodLogLevel.Error, $"could not open directory {settings.ModuleDirectory}: {Errno.Describe(Errno.ENOENT)}");
            throw new DirectoryNotFoundException($"could not open directory {settings.ModuleDirectory}: No such file or directory");
        }

        ScanDirectory(settings, settings.ModuleDirectory, found, log);
        foreach (string external in Enumerable.Reverse(config.Externals))
        {
            if (Directory.Exists(external))
                ScanDirectory(settings, external.TrimEnd('/'), found, log);
        }

        return found;
    }

    private static void ScanDirectory(DepmodSettings settings, string directory, Dictionary<string, DepmodModule> found, Action<DepmodLogLevel, string> log)
    {
        var excludes = settings.Configuration.Excludes;
        List<(string Name, bool IsDirectory)> entries;
        try
        {
            entries = [.. new FileSystemEnumerable<(string, bool)>(directory, (ref FileSystemEntry e) => (e.FileName.ToString(), e.IsDirectory),
                new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false, ReturnSpecialDirectories = false })];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log(DepmodLogLevel.Error, $"could not open directory {directory}: {Errno.DescribeFileError(e)}");
            return;
        }

        foreach (var (name, isDirectory) in entries)
        {
            if (name is "build" or "source" || excludes.Contains(name))
                continue;
            string path = directory + "/" + name;
            if (isDirectory)
            {
                ScanDirectory(settings, path, found, log);
                continue;
            }

            if (!ModuleFileName.HasModuleExtension(name))
                continue;

            // One stat either way; a compressed file's size orders the reads (ReadSchedule).
            long? compressedLength = null;
            if (name.EndsWith(".ko", StringComparison.Ordinal))
            {
                if (!File.Exists(path))
                    continue;
            }
            else
            {
                var info = new FileInfo(path);
                if (!info.Exists)
                    continue;
                compressedLength = info.Length;
            }

            string moduleName = ModuleName.FromPath(path) ?? string.Empty;
            if (found.TryGetValue(moduleName, out var existing) && ExistingWins(settings, existing, path, moduleName.Length))
                continue;
            found[moduleName] = NewModule(settings.ModuleDirectory, path, compressedLength);
        }
    }

    /// <summary>
    /// Whether the module already found beats a new file of the same name (kmod
    /// <c>depmod_module_is_higher_priority</c>): overrides first, then the search list, where the new file
    /// wins a tie. Paths are compared up to the end of the module name within the file name.
    /// </summary>
    private static bool ExistingWins(DepmodSettings settings, DepmodModule existing, string newPath, int nameLength)
    {
        var config = settings.Configuration;
        string dir = settings.ModuleDirectory;
        string newStem = Stem(newPath, nameLength);
        string oldStem = Stem(existing.Path, nameLength);
        string? newRelative = newStem.StartsWith(dir, StringComparison.Ordinal) ? newStem[Math.Min(newStem.Length, dir.Length + 1)..] : null;
        string? oldRelative = oldStem.StartsWith(dir, StringComparison.Ordinal) ? oldStem[Math.Min(oldStem.Length, dir.Length + 1)..] : null;

        // kmod keeps its lists newest first, so later configuration lines are consulted first.
        foreach (string over in Enumerable.Reverse(config.Overrides))
        {
            if (newRelative == over)
                return false;
            if (oldRelative == over)
                return true;
        }

        int builtinPriority = -1, oldPriority = -1, newPriority = -1;
        int i = 0;
        foreach (string search in Enumerable.Reverse(config.EffectiveSearches))
        {
            if (search == DepmodConfiguration.BuiltIn)
            {
                builtinPriority = i;
            }
            else if (search == DepmodConfiguration.External)
            {
                // kmod counts one more priority step per external directory here.
                foreach (string external in Enumerable.Reverse(config.Externals))
                {
                    if (StartsWithDirectory(newStem, external))
                        newPriority = i;
                    if (StartsWithDirectory(oldStem, external))
                        oldPriority = i;
                    i++;
                }
            }
            else if (newRelative is not null && StartsWithDirectory(newRelative, search))
            {
                newPriority = i;
            }
            else if (oldRelative is not null && StartsWithDirectory(oldRelative, search))
            {
                oldPriority = i;
            }

            i++;
        }

        if (newPriority < 0)
            newPriority = builtinPriority;
        if (oldPriority < 0)
            oldPriority = builtinPriority;
        return newPriority <= oldPriority;
    }

    private static string Stem(string path, int nameLength)
    {
        int slash = path.LastIndexOf('/');
        return path[..Math.Min(path.Length, slash + 1 + nameLength)];
    }

    private static bool StartsWithDirectory(string path, string directory) =>
        path.Length > directory.Length && path[directory.Length] == '/' && path.StartsWith(directory, StringComparison.Ordinal);
}
