using System.Text;
using ModKit.Cli.GetOpt;
using ModKit.Depmod;
using ModKit.Files;
using ModKit.Index;
using ModKit.Modules;

namespace ModKit.Cli.Tools;

/// <summary>
/// <c>depmod</c>: writes modules.dep and the other index files of a module directory, byte for byte as kmod 30
/// does (<c>tools/depmod.c</c>); the work is done by <see cref="DepmodEngine"/>. Each file is written to a
/// temporary file in the output directory, flushed to disk and renamed into place, so a run killed at any
/// moment leaves every file either complete and old or complete and new.
/// </summary>
internal sealed class DepmodTool
{
    /// <summary>kmod's <c>log_priority</c> default and the level one <c>-v</c> adds to.</summary>
    private const int DefaultVerbosity = 4;

    /// <summary>kmod's <c>MODULE_DIRECTORY</c>.</summary>
    private const string DefaultModuleDirectory = "/lib/modules";

    /// <summary>Linux's PATH_MAX, the size of depmod's path buffers.</summary>
    private const int PathMax = 4096;

    private readonly ToolContext _context;
    private readonly ToolLog _log;
    private readonly ToolOutput _out;
    private int _verbosity = DefaultVerbosity;

    private DepmodTool(ToolContext context, ToolLog log, ToolOutput output)
    {
        _context = context;
        _log = log;
        _out = output;
    }

    public static int Run(ToolContext context, string argv0, IReadOnlyList<string> args)
    {
        var log = new ToolLog(ModuleName.BaseName(argv0), context.Stderr);
        using var output = new ToolOutput(context.Stdout);
        try
        {
            return new DepmodTool(context, log, output).Execute(argv0, args);
        }
        catch (FatalException)
        {
            return 1;
        }
    }

    private int Execute(string argv0, IReadOnlyList<string> args)
    {
        bool quick = false, show = false, reportUnresolved = false, warnDuplicates = false, json = false;
        string? root = null, moduleDirectory = null, outputDirectory = null, symvers = null, systemMap = null;
        char symbolPrefix = '\0';
        var configPaths = new List<string>();
        var options = DepmodOptions.For(_context.Profile.CommandLines);
        var parser = new GetOptParser(argv0, args, options.Table, new StderrWriter(_context.Stderr));
        while (parser.TryNext(out var option))
        {
            if (option.Code > 0 && options.IgnoredOptions.Contains((char)option.Code, StringComparison.Ordinal))
            {
                _log.Warning(option.LongIndex > 0
                    ? $"Ignored deprecated option --{options.Table.LongOptions[option.LongIndex].Name}"
                    : $"Ignored deprecated option -{(char)option.Code}");
                continue;
            }

            switch (option.Code)
            {
                case 'a': break;
                case 'A': quick = true; break;
                case 'b': root = _context.MakeAbsolute(option.Argument!); break;
                case 'm' when options.HasDirectoryOptions: moduleDirectory = option.Argument!; break;
                case 'o' when options.HasDirectoryOptions: outputDirectory = _context.MakeAbsolute(option.Argument!); break;
                case 'C': configPaths.Add(option.Argument!); break;
                case 'E': symvers = option.Argument; break;
                case 'F': systemMap = option.Argument; break;
                case 'e': reportUnresolved = true; break;
                case 'v': _verbosity++; break;
                case 'n': show = true; break;
                case DepmodOptions.Json: json = true; break;
                case 'P':
                    if (option.Argument!.Length != 1)
                        Fatal("-P only takes a single char");
                    symbolPrefix = option.Argument[0];
                    break;
                case 'w': warnDuplicates = true; break;
                case 'h':
                    _out.Write(options.Help(_log.Program));
                    return 0;
                case 'V':
                    _out.Write(ToolVersion.Text(_context.Profile));
                    return 0;
                default:
                    return 1;
            }
        }

        var positional = parser.Remaining;
        string version;
        if (positional.Count > 0)
        {
            if (!LooksLikeVersion(positional[0]))
            {
                _log.Error($"Bad version passed {positional[0]}");
                return 1;
            }

            version = positional[0];
        }
        else
        {
            version = _context.KernelRelease();
        }

        // <basedir>/<moduledir>/<version>, and the output under <outdir> instead of <basedir> (kmod ≥ 31). The
        // module directory is always relative ("/lib/modules" becomes "lib/modules"); the parts are joined as
        if (json && !show)
        {
            _log.Error("--json works with -n (--show, --dry-run).");
            return 1;
        }

        // given, so "-b /x/" reads "/x//lib/modules/<version>", as kmod prints it.
        string modules = (moduleDirectory ?? DefaultModuleDirectory).TrimStart('/');
        if (DirectoryPath(root, modules, version) is not { } directory)
            return 1;
        if ((outputDirectory is null ? directory : DirectoryPath(outputDirectory, modules, version)) is not { } target)
            return 1;
        var modulePaths = positional.Skip(1).ToList();
        foreach (string path in modulePaths)
        {
            if (!path.StartsWith('/'))
                Fatal($"{path}: not absolute path.");
        }

        if (quick && modulePaths.Count == 0)
        {
            if (show || IsUpToDate(directory))
                return 0;
        }

        void Log(DepmodLogLevel level, string message) => Report(level, message);

        List<KeyValuePair<string, ulong>>? kernelSymbols = null;
        try
        {
            if (symvers is not null)
                kernelSymbols = KernelSymbolFile.ReadSymvers(_context.MakeAbsolute(symvers), Log);
            else if (systemMap is not null)
                kernelSymbols = KernelSymbolFile.ReadSystemMap(_context.MakeAbsolute(systemMap), symbolPrefix, Log);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fatal($"could not load {symvers ?? systemMap}: {Errno.DescribeFileError(e)}");
        }

        if (kernelSymbols is null && reportUnresolved)
        {
            _log.Warning("-e needs -E or -F");
            reportUnresolved = false;
        }

        var configuration = modulePaths.Count > 0
            ? new DepmodConfiguration()
            : DepmodConfiguration.Load(configPaths.Count > 0 ? configPaths : _context.Profile.DepmodConfigDirectories.Select(_context.UnderRoot), version,
                _context.Profile, Log);

        var settings = new DepmodSettings(directory)
        {
            Profile = _context.Profile,
            Configuration = configuration,
            ModulePaths = modulePaths.Count > 0 ? modulePaths : null,
            SymbolPrefix = symbolPrefix,
            KernelSymbols = kernelSymbols,
            CheckSymbolVersions = symvers is not null,
            ReportUnresolved = reportUnresolved,
            WarnDuplicates = warnDuplicates,
            Verbose = _verbosity > DefaultVerbosity,
            Log = Log,
        };

        DepmodResult result;
        try
        {
            result = DepmodEngine.Run(settings);
        }
        catch (DirectoryNotFoundException e)
        {
            Fatal($"could not search modules: {Errno.DescribeFileError(e)}");
            return 1;
        }
        catch (DepmodModuleLimitException)
        {
            Fatal($"could not build module array: {Errno.Describe(Errno.ERANGE)}");
            return 1;
        }

        if (result.ModulesInCycles.Count > 0)
        {
            ReportCycles(result);
            return 1;
        }

        try
        {
            return json ? ShowJson(result) : show ? Show(result) : WriteFiles(result, target);
        }
        catch (IndexCharacterException e)
        {
            _log.Raw($"{_log.Program}: FATAL: ");
            _context.Stderr.Write(e.KmodMessage());
            return 1;
        }
    }

    /// <summary>
    /// <c>&lt;root&gt;/&lt;modules&gt;/&lt;version&gt;</c>, the root being the context's when no <c>-b</c> was given;
    /// null after kmod 34's complaint about a path of PATH_MAX bytes or more.
    /// </summary>
    private string? DirectoryPath(string? root, string modules, string version)
    {
        string path = $"{root}/{modules}/{version}";
        if (_context.Profile.DepmodRefusesLongDirectoryPaths && Encoding.UTF8.GetByteCount(path) >= PathMax)
        {
            _log.Error($"Bad directory {path}: path too long");
            return null;
        }

        return root is null ? _context.UnderRoot(path) : path;
    }

    private int Show(DepmodResult result)
    {
        foreach (var file in result.GetOutputs(_context.Profile, includeIndexes: false))
            _out.Write(file.Contents);
        return 0;
    }

    // -n --json (schemas/depmod-graph.schema.json): each module with the modules it uses directly (the graph's
    // edges) and all it needs in modules.dep's order, streamed.
    private int ShowJson(DepmodResult result)
    {
        _out.Flush();
        using var json = new JsonOutput(_context.Stdout);
        var writer = json.Writer;
        writer.WriteStartObject();
        writer.WriteStartArray("modules");
        foreach (var module in result.Modules)
        {
            writer.WriteStartObject();
            writer.WriteString("name", module.Name);
            writer.WriteString("path", module.OutputPath);
            json.WriteStrings("dependencies", module.Dependencies.Select(d => d.OutputPath));
            json.WriteStrings("all_dependencies", result.AllDependencies(module).Select(d => d.OutputPath));
            writer.WriteEndObject();
            json.Checkpoint();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        return 0;
    }

    private int WriteFiles(DepmodResult result, string target)
    {
        if (_context.Profile.DepmodCreatesOutputDirectory)
        {
            try
            {
                if (OperatingSystem.IsWindows())
                    Directory.CreateDirectory(target);
                else
                    Directory.CreateDirectory(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Fatal($"could not create directory {target}: {(HasFileAmongParents(target) ? Errno.Describe(Errno.ENOTDIR) : Errno.DescribeFileError(e))}");
            }
        }
        else if (!Directory.Exists(target))
        {
            // kmod 30 writes into the module directory it read, which module paths need not have.
            Fatal($"could not open directory {target}: {Errno.Describe(Errno.ENOENT)}");
        }

        // kmod's depmod_output: a file that cannot be created is reported and skipped (the run still succeeds);
        // a write that fails ends the run with "Output is truncated", which kmod always words as ENOSPC.
        string suffix = AtomicFile.RunSuffix();
        // The files are made concurrently while the ones made are written (and synced), in kmod's order.
        foreach (var file in result.GetOutputs(_context.Profile, includeIndexes: true, concurrently: true))
        {
            if (AtomicFile.TryWrite(target, file.Name, file.Contents, suffix, out var failure))
                continue;
            switch (failure!.Step)
            {
                case AtomicFile.Step.Create:
                    _log.Error($"openat({target}, {failure.TemporaryName}, 301, 644): {Errno.Describe(failure.Errno)}");
                    continue;
                case AtomicFile.Step.Write:
                    _log.Error($"Could not create index '{file.Name}'. Output is truncated: {Errno.Describe(Errno.ENOSPC)}");
                    return 1;
                default:
                    _log.Library(ToolLog.LogCrit, $"renameat({target}, {failure.TemporaryName}, {target}, {file.Name}): {Errno.Describe(failure.Errno)}");
                    return 1;
            }
        }

        return 0;
    }

    /// <summary>Whether some leading part of the path is a file, which makes <c>mkdir</c> fail with ENOTDIR (.NET says "not found").</summary>
    private static bool HasFileAmongParents(string path)
    {
        for (int slash = path.IndexOf('/', 1); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            if (File.Exists(path[..slash]))
                return true;
        }

        return File.Exists(path);
    }

    /// <summary>
    /// kmod's <c>depfile_up_to_date</c>: modules.dep exists and no module file below the directory is newer.
    /// Any error (no modules.dep) means "not up to date".
    /// </summary>
    private bool IsUpToDate(string directory)
    {
        DateTime dependencies;
        if (!Directory.Exists(directory))
        {
            _log.Error($"could not open directory {directory}: {Errno.Describe(Errno.ENOENT)}");
            return false;
        }

        try
        {
            var info = new FileInfo(Path.Combine(directory, "modules.dep"));
            if (!info.Exists)
            {
                _log.Error($"could not fstatat({directory}, modules.dep): No such file or directory");
                return false;
            }

            dependencies = info.LastWriteTimeUtc;
        }
        catch (IOException)
        {
            return false;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        foreach (string file in Directory.EnumerateFiles(directory, "*", options))
        {
            if (!ModuleFileName.HasModuleExtension(file))
                continue;

            // kmod compares whole seconds (st_mtime) in version 30.
            if (TruncateToSeconds(File.GetLastWriteTimeUtc(file)) > TruncateToSeconds(dependencies))
                return false;
        }

        return true;
    }

    private static DateTime TruncateToSeconds(DateTime time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), time.Kind);

    private void ReportCycles(DepmodResult result)
    {
        var (cycles, count) = result.FindCycles();
        foreach (var cycle in cycles)
            _log.Error("Cycle detected: " + string.Join(" -> ", cycle.Select(m => m.Name)));
        _log.Error($"Found {count} modules in dependency cycles!");
    }

    private void Report(DepmodLogLevel level, string message)
    {
        switch (level)
        {
            case DepmodLogLevel.Critical:
                Fatal(message);
                break;
            case DepmodLogLevel.Error:
                _log.Error(message);
                break;
            case DepmodLogLevel.Warning:
                _log.Warning(message);
                break;
            case DepmodLogLevel.Info when _verbosity >= 6:
                _log.Info(message);
                break;
            case DepmodLogLevel.Verbose when _verbosity > DefaultVerbosity:
                _out.Write(message).Write((byte)'\n');
                break;
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Fatal(string message)
    {
        _log.Raw($"{_log.Program}: FATAL: {message}\n");
        throw new FatalException();
    }

    /// <summary>
    /// kmod's test for a version argument, <c>sscanf(version, "%u.%u") == 2</c>: each <c>%u</c> skips
    /// white space and takes an optional sign and at least one digit; the dot must follow directly.
    /// </summary>
    private static bool LooksLikeVersion(string text)
    {
        int i = 0;
        return ScanUnsigned(text, ref i) && i < text.Length && text[i++] == '.' && ScanUnsigned(text, ref i);
    }

    private static bool ScanUnsigned(string text, ref int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r')
        {
            i++;
        }

        if (i < text.Length && text[i] is '+' or '-')
        {
            i++;
        }

        int start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i > start;
    }


    private sealed class FatalException : Exception;
}
