using System.Text;
using ModKit.Cli.GetOpt;
using ModKit.Config;
using ModKit.Elf;
using ModKit.Kernel;
using ModKit.Modules;
using ModKit.Probe;

namespace ModKit.Cli.Tools;

/// <summary>
/// <c>modprobe</c>: loads and removes modules by name or alias with their dependencies, softdeps, options,
/// install/remove commands and blacklist, and the query modes (-R, -D, -c, --show-modversions,
/// --show-exports), with the flags, messages and exit statuses of the profile's kmod (<c>tools/modprobe.c</c>). The
/// resolution and load plan are the library's <see cref="ModuleContext"/> and <see cref="ModuleProber"/>.
/// </summary>
internal sealed partial class ModprobeTool
{
    private const long CollectEvery = 1 << 18;

    // PATH_MAX, the size of kmod's buffer for the module directory.
    private const int PathMax = 4096;

    private readonly ToolContext _context;
    private readonly ToolLog _log;
    private readonly ToolOutput _output;
    private string? _childOptions;
    private ModuleContext _modules = null!;
    private string _dirname = string.Empty;

    // Settings from the command line (names as in kmod's tools/modprobe.c).
    private int _verbose = ToolLog.LogWarning;
    private int _fatalPriority = ToolLog.LogCrit;
    private bool _doShow;
    private bool _dryRun;
    private bool _ignoreLoaded;
    private bool _lookupOnly;
    private bool _firstTime;
    private bool _ignoreCommands;
    private bool _useBlacklist;
    private bool _force;
    private bool _stripModversion;
    private bool _stripVermagic;
    private bool _removeHolders;
    private ulong _waitMilliseconds;
    private bool _namesOnly;

    private ModprobeTool(ToolContext context, string argv0, ToolOutput output)
    {
        _context = context;
        _output = output;
        _log = new ToolLog(ModuleName.BaseName(argv0), context.Stderr) { Verbosity = ToolLog.LogWarning };
        _childOptions = context.GetEnvironmentVariable("MODPROBE_OPTIONS");
    }

    public static int Run(ToolContext context, string argv0, IReadOnlyList<string> args)
    {
        using var output = new ToolOutput(context.Stdout);
        var tool = new ModprobeTool(context, argv0, output);
        try
        {
            return tool.Main(argv0, args);
        }
        catch (FatalExit)
        {
            tool.EndJson();
            return 1;
        }
    }

    private int Main(string argv0, IReadOnlyList<string> commandLine)
    {
        // MODPROBE_OPTIONS come first, as if typed before the command line's arguments.
        var argv = new List<string>();
        if (_childOptions is not null)
        {
            argv.AddRange(ModprobeOptions.SplitEnvironmentOptions(_childOptions));
        }

        argv.AddRange(commandLine);

        bool useAll = false, remove = false, showConfig = false, showModversions = false, showExports = false, syslog = false, json = false;
        var configPaths = new List<string>();
        string? root = null, version = null;
        var parser = new GetOptParser(argv0, argv, ModprobeOptions.Table, new StderrWriter(_context.Stderr));
        while (parser.TryNext(out var option))
        {
            switch (option.Code)
            {
                case 'a': _fatalPriority = ToolLog.LogWarning; useAll = true; break;
                case 'r': remove = true; break;
                case ModprobeOptions.RemoveHolders: _removeHolders = true; break;
                case 'w':
                    if (!TryParseUnsigned(option.Argument!, out _waitMilliseconds))
                    {
                        Error($"unexpected wait value '{option.Argument}'.");
                        return 1;
                    }

                    break;
                case ModprobeOptions.FirstTime: _firstTime = true; break;
                case 'i': _ignoreCommands = true; break;
                case 'b': _useBlacklist = true; break;
                case 'f': _force = true; break;
                case ModprobeOptions.ForceModversion: _stripModversion = true; break;
                case ModprobeOptions.ForceVermagic: _stripVermagic = true; break;
                case 'D': _ignoreLoaded = _dryRun = _doShow = true; break;
                case 'R': _lookupOnly = true; break;
                case 'c': showConfig = true; break;
                case ModprobeOptions.ShowModversions: showModversions = true; break;
                case ModprobeOptions.ShowExports: showExports = true; break;
                case 'n': _dryRun = true; break;
                case ModprobeOptions.Json: json = true; break;
                case 'C':
                    configPaths.Add(option.Argument!);
                    AppendChildOption("-C");
                    AppendChildOption(option.Argument!);
                    break;
                case 'd': root = option.Argument; break;
                case 'S': version = option.Argument; break;
                case 's': AppendChildOption("-s"); syslog = true; break;
                case 'q': AppendChildOption("-q"); _verbose = 0; break;
                case 'v': AppendChildOption("-v"); _verbose++; break;
                case 'V':
                    _output.Write(ToolVersion.Text(_context.Profile));
                    return 0;
                case 'h':
                    _output.Write(ModprobeOptions.Help(_log.Program, _context.Profile));
                    return 0;
                default:
                    return 1;
            }
        }

        // With standard error closed, messages go to syslog as with -s (upstream kmod 31; Debian 12's kmod 30 snapshot too).
        _log.Open(_context, syslog, _context.Profile.SyslogWhenStderrClosed);

        var args = parser.Remaining;

        // The kernel runs "modprobe -q -- NAME" with a NAME that may come from an unprivileged user
        // (request_module); after "--" nothing is taken as a path, whatever it starts with.
        _namesOnly = parser.Index > 0 && parser.Arguments[parser.Index - 1] == "--";
        if (json && (remove || showModversions || showExports || !(showConfig || _lookupOnly || _doShow)))
        {
            Error("--json works with --show-depends, --resolve-alias or --showconfig.");
            return 1;
        }

        if (!showConfig && args.Count == 0)
        {
            Error("missing parameters. See -h.");
            return 1;
        }

        // kmod_new makes the directory absolute against the working directory (-d may be relative).
        if (root is not null || version is not null)
        {
            string given = (root ?? string.Empty) + "/lib/modules/" + (version ?? _context.KernelRelease());
            if (Encoding.UTF8.GetByteCount(given) >= PathMax)
            {
                // kmod 34 refuses the directory; kmod 30's snprintf cuts it to what fits its buffer.
                if (_context.Profile.ModprobeRejectsLongModuleDirectory)
                {
                    Error($"bad directory {given}: path too long");
                    return 1;
                }

                given = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(given), 0, PathMax - 1);
            }

            _dirname = _context.MakeAbsolute(given);
        }
        else
        {
            _dirname = _context.UnderRoot("/lib/modules/" + _context.KernelRelease());
        }
        var commandLineOfKernel = _context.Kernel.ReadCommandLine();
        var config = new ModprobeConfigLoader
        {
            RootDirectory = _context.Root,
            Profile = _context.Profile,
            ConfigPaths = configPaths.Count > 0 ? configPaths : null,
            ModuleDirectory = _dirname,
            KernelCommandLine = commandLineOfKernel.Succeeded ? commandLineOfKernel.Value : string.Empty,
            OnDiagnostic = diagnostic => _log.Raw(diagnostic.Text + "\n"),
        }.Load();

        // log_setup_kmod_log: from here on libkmod's messages and the tool's obey -q/-v.
        _log.Verbosity = _verbose;
        _modules = new ModuleContext(_dirname, config, _context.Kernel)
        {
            Profile = _context.Profile,
            Log = (priority, message) => _log.Library(priority, message),
        };

        using var modules = _modules;
        int error;
        if (json)
        {
            _json = new JsonOutput(_context.Stdout);
        }

        if (showConfig && _json is not null)
        {
            error = ShowConfigJson(config);
        }
        else if (showConfig)
        {
            error = ShowConfig(config);
        }
        else if (showModversions || showExports)
        {
            error = ShowSymbols(args[0], showExports);
        }
        else if (remove)
        {
            error = ForEach(args, Remove);
        }
        else if (useAll)
        {
            error = ForEach(args, name => Insert(name, null));
        }
        else
        {
            error = Insert(args[0], args.Count > 1 ? ModuleLoader.JoinParameters(args.Skip(1)) : null);
        }

        EndJson();
        return error >= 0 ? 0 : 1;
    }

    // rmmod_all, insmod_all: every name is tried; the last failure decides. kmod frees each name's
    // modules before the next; so does this loop.
    private int ForEach(IReadOnlyList<string> names, Func<string, int> action)
    {
        int error = 0;
        long collectedAt = GC.GetAllocatedBytesForCurrentThread();
        foreach (string name in names)
        {
            int result = action(name);
            if (result < 0)
            {
                error = result;
            }

            _modules.ForgetModules();

            // A young-generation collection after each 256 KiB lets the next names reuse memory already
            // touched: the GC's first budget is several MiB, and each fresh page costs a page fault
            // (~14 µs in a small VM). Forgetting the modules leaves these collections little to keep.
            // modprobe -a -D of 1000 names: 1027 page faults without both, 454 with the collections alone, 293.
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            if (allocated - collectedAt > CollectEvery)
            {
                GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                collectedAt = allocated;
            }
        }

        return error;
    }

    // strtoul(value, &end, 0) that must consume the whole, non-empty value.
    private static bool TryParseUnsigned(string value, out ulong result)
    {
        result = 0;
        string text = value.TrimStart(' ', '\t', '\n', '\v', '\f', '\r');
        bool negative = false;
        if (text.Length > 0 && text[0] is '+' or '-')
        {
            negative = text[0] == '-';
            text = text[1..];
        }

        int numberBase = 10;
        if (text.Length > 1 && text[0] == '0' && text[1] is 'x' or 'X' && text.Length > 2 && Uri.IsHexDigit(text[2]))
        {
            numberBase = 16;
            text = text[2..];
        }
        else if (text.Length > 0 && text[0] == '0')
        {
            numberBase = 8;
        }

        if (text.Length == 0)
        {
            return false;
        }

        foreach (char c in text)
        {
            int digit = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'z' ? c - 'a' + 10 : c is >= 'A' and <= 'Z' ? c - 'A' + 10 : 99;
            if (digit >= numberBase)
            {
                return false;
            }

            result = unchecked((result * (ulong)numberBase) + (ulong)digit);
        }

        if (negative)
        {
            result = unchecked(0 - result);
        }

        return true;
    }

    // env_modprobe_options_append: nested modprobe calls from install commands inherit -C, -s, -q, -v.
    private void AppendChildOption(string value) =>
        _childOptions = _childOptions is null ? value : _childOptions + " " + value;

    // A module argument is a file only when it says so: it starts with "/" or "./" (kmod 31+; kmod 30 takes no
    // paths) and does not follow "--". Anything else — "../x", "a/../../b" included — is a name or alias to
    // look up in the indexes.
    private bool IsPath(string argument) =>
        _context.Profile.ModprobeLoadsModulePaths && !_namesOnly
        && (argument.StartsWith('/') || argument.StartsWith("./", StringComparison.Ordinal));

    private void Error(string message) => _log.Library(ToolLog.LogErr, message);

    // kmod's LOG(): FATAL, which ends the run when printed; with -a only a WARNING.
    private void Fatal(string message)
    {
        if (_fatalPriority > _log.Verbosity)
        {
            return;
        }

        _log.Library(_fatalPriority, message);
        if (_fatalPriority <= ToolLog.LogCrit)
        {
            throw new FatalExit();
        }
    }

    // SHOW(): printed with -D/-n... only when asked (v30: --show-depends or -v), flushed at once.
    private void Show(string text)
    {
        if (!_doShow && _verbose <= ToolLog.LogWarning)
        {
            return;
        }

        _output.Write(text);
        _output.Flush();
    }

    private int ShowConfig(ModprobeConfig config)
    {
        _output.Flush();
        using (var writer = new StreamWriter(_context.Stdout, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" })
        {
            ModprobeConfigFormatter.Write(config, writer);
            writer.Write("\n# End of configuration files. Dumping indexes now:\n\n");
        }

        // The indexes go out as the file's bytes, through the dump's own buffer.
        foreach (string index in new[] { ModuleDirectory.AliasIndex, ModuleDirectory.SymbolIndex })
        {
            _modules.Directory.DumpIndex(index, _context.Stdout, "alias ");
        }

        _context.Stdout.Flush();

        return 0;
    }

    // --show-modversions / --show-exports: the argument is a file, relative to the working directory or not
    // (kmod 30 and 34.2 alike; later kmods also take module names).
    private int ShowSymbols(string argument, bool exports)
    {
        string what = exports ? "symbols" : "modversions";
        if (_modules.FromPath(_context.MakeAbsolute(argument), out var module) != 0)
        {
            Fatal($"Module {argument} not found.");
            return -Errno.ENOENT;
        }

        List<ModuleSymbol> symbols;
        try
        {
            string path = _modules.GetPath(module!) ?? throw new FileNotFoundException();
            using var file = ModuleFile.Open(path, _context.Profile.ZstdDecoding);
            if (!exports)
            {
                symbols = ModuleSymbols.GetVersions(file.Elf);
            }
            else if (!ModuleSymbols.TryGetExports(file.Elf, out symbols))
            {
                // kmod_module_get_symbols: there is neither __crc_* nor __ksymtab_strings.
                ModuleFormatException.Throw("no exported symbols", Errno.ENOENT);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A missing section is ENOENT in kmod 30 and ENODATA in kmod 31+.
            int errno = e is ModuleFormatException { ErrorNumber: Errno.ENOENT } ? _context.Profile.MissingSectionErrno : Errno.FromException(e);
            if (e is ModuleFormatException { LibkmodFunction: not null } failure && _context.Profile.LogsDecompressionErrors)
            {
                // libkmod's message, through modprobe's log (kmod 34; kmod 30 logs it before its context has a logger).
                Error(failure.Message);
            }

            Fatal($"could not get {what} of {argument}: {Errno.Describe(errno)}");
            return -errno;
        }

        foreach (var symbol in symbols)
        {
            _output.Write($"0x{symbol.Crc:x8}\t").Write(symbol.Name).Write((byte)'\n');
        }

        return 0;
    }

    private int Insert(string alias, string? extraOptions)
    {
        StartArgument(alias);
        try
        {
            return InsertModules(alias, extraOptions);
        }
        finally
        {
            EndArgument();
        }
    }

    private int InsertModules(string alias, string? extraOptions)
    {
        IReadOnlyList<ProbeModule> list;
        if (IsPath(alias))
        {
            // kmod 31+: a path is loaded as that file; its dependencies still come from modules.dep.
            int fromPath = _modules.FromPath(_context.MakeAbsolute(alias), out var module);
            if (fromPath != 0)
            {
                ArgumentError($"Failed to get module from path {alias}: {Errno.Describe(fromPath)}");
                Fatal($"Failed to get module from path {alias}: {Errno.Describe(fromPath)}");
                return -Errno.ENOENT;
            }

            list = [module!];
        }
        else if (_modules.Lookup(alias, out list) != 0 || list.Count == 0)
        {
            ArgumentError($"Module {alias} not found in directory {_dirname}");
            Fatal($"Module {alias} not found in directory {_dirname}");
            return -Errno.ENOENT;
        }

        var flags = ProbeFlags.ApplyBlacklistAliasOnly;
        if (_stripModversion || _force)
        {
            flags |= ProbeFlags.ForceModversion;
        }

        if (_stripVermagic || _force)
        {
            flags |= ProbeFlags.ForceVermagic;
        }

        flags |= (_ignoreCommands ? ProbeFlags.IgnoreCommand : 0) | (_ignoreLoaded ? ProbeFlags.IgnoreLoaded : 0)
            | (_dryRun ? ProbeFlags.DryRun : 0) | (_useBlacklist ? ProbeFlags.ApplyBlacklist : 0)
            | (_firstTime ? ProbeFlags.FailOnLoaded : 0);

        var prober = new ModuleProber(_modules);
        if (_doShow || _verbose > ToolLog.LogWarning)
        {
            prober.OnAction = PrintAction;
        }

        _modules.RunCommand = RunCommand;
        int error = 0;
        foreach (var module in list)
        {
            if (_lookupOnly && _json is not null)
            {
                _json.Writer.WriteStringValue(module.Name);
            }
            else if (_lookupOnly)
            {
                _output.Write(module.Name).Write((byte)'\n');
            }
            else
            {
                error = prober.Insert(module, flags, extraOptions);
            }

            if (error >= 0)
            {
                error = 0; // a blacklisted alias is not a failure
                continue;
            }

            string reason = -error switch
            {
                Errno.EEXIST => "Module already in kernel",
                Errno.ENOENT => "Unknown symbol in module, or unknown parameter (see dmesg)",
                _ => Errno.Describe(-error),
            };
            Error($"could not insert '{module.Name}': {reason}");
        }

        return error;
    }

    // print_action: buffered like kmod's printf, so it reaches the output when the buffer is flushed.
    // Written piece by piece: an interpolated string would be the run's first use of the shared array pool,
    // whose set-up costs more than the whole line.
    private void PrintAction(ProbeAction action)
    {
        if (_json is not null)
        {
            WriteStep(action);
            return;
        }

        if (action.IsInstallCommand)
        {
            _output.Write("install ").Write(_modules.GetInstallCommand(action.Module) ?? string.Empty).Write((byte)' ').Write(action.Options).Write((byte)'\n');
            return;
        }

        string? path = _modules.GetPath(action.Module);
        if (path is not null)
        {
            _output.Write("insmod ").Write(path).Write((byte)' ').Write(action.Options).Write((byte)'\n');
        }
        else if (_modules.GetState(action.Module) == ModuleState.Builtin)
        {
            _output.Write("builtin ").Write(action.Module.Name).Write((byte)'\n');
        }
    }

    private int RunCommand(string command, string module)
    {
        // The environment is copied only here, when a command runs: most runs never need it.
        var environment = new Dictionary<string, string>(_context.Environment, StringComparer.Ordinal) { ["MODPROBE_MODULE"] = module };
        if (_childOptions is not null)
        {
            environment["MODPROBE_OPTIONS"] = _childOptions;
        }

        return _context.Shell(command, environment);
    }

    private int Remove(string alias)
    {
        if (_modules.Lookup(alias, out var list) != 0)
        {
            return -Errno.EINVAL;
        }

        int error = 0;
        if (list.Count == 0)
        {
            Fatal($"Module {alias} not found.");
            error = -Errno.ENOENT;
        }

        foreach (var module in list)
        {
            error = RemoveModule(module, _removeHolders, ignoreBuiltin: false);
            if (error < 0)
            {
                break;
            }
        }

        return error;
    }

    // rmmod_do_module
    private int RemoveModule(ProbeModule module, bool removeHolders, bool ignoreBuiltin)
    {
        IReadOnlyList<ProbeModule> pre = [], post = [];
        string? command = null;
        if (!_ignoreCommands)
        {
            _modules.GetSoftDependencies(module, out pre, out post);
            command = _modules.GetRemoveCommand(module);
        }

        if (command is null && !_ignoreLoaded)
        {
            var state = _modules.GetState(module);
            if (state == ModuleState.Absent)
            {
                if (_firstTime)
                {
                    Fatal($"Module {module.Name} is not in kernel.");
                    return -Errno.ENOENT;
                }

                return 0;
            }

            if (state == ModuleState.Builtin)
            {
                if (ignoreBuiltin)
                {
                    return 0;
                }

                Fatal($"Module {module.Name} is builtin.");
                return -Errno.ENOENT;
            }
        }

        RemoveList(post, stopOnErrors: false);
        if (removeHolders)
        {
            var holders = _context.Kernel.ReadHolders(module.Name);
            if (!holders.Succeeded)
            {
                Error($"could not open '/sys/module/{module.Name}/holders': {Errno.Describe(holders.Errno)}");
            }
            else
            {
                int holderError = RemoveList(holders.Value.Select(_modules.FromName).ToList(), stopOnErrors: true);
                if (holderError < 0)
                {
                    return holderError;
                }
            }
        }

        if (command is null && !_ignoreLoaded && _waitMilliseconds == 0)
        {
            var usage = _context.Kernel.ReadRefCount(module.Name);
            if (usage.Succeeded && usage.Value > 0)
            {
                Fatal($"Module {module.Name} is in use.");
                return -Errno.EBUSY;
            }
        }

        int error = command is not null ? RunRemoveCommand(module, command) : UnloadModule(module);
        if (error < 0)
        {
            return error;
        }

        if (command is null)
        {
            // Dependencies that nothing uses any more go too; their failures do not count.
            foreach (var dependency in _modules.GetDependencies(module))
            {
                var usage = _context.Kernel.ReadRefCount(dependency.Name);
                if (usage.Succeeded && usage.Value == 0)
                {
                    UnloadModule(dependency);
                }
            }
        }

        RemoveList(pre, stopOnErrors: false);
        return error;
    }

    // rmmod_do_modlist: in reverse order.
    private int RemoveList(IReadOnlyList<ProbeModule> modules, bool stopOnErrors)
    {
        for (int i = modules.Count - 1; i >= 0; i--)
        {
            int error = RemoveModule(modules[i], removeHolders: false, ignoreBuiltin: true);
            if (error < 0 && stopOnErrors)
            {
                return error;
            }
        }

        return 0;
    }

    // command_do in tools/modprobe.c: $CMDLINE_OPTS becomes empty for remove commands.
    private int RunRemoveCommand(ProbeModule module, string command)
    {
        string expanded = ModuleProber.ExpandCommand(command, null);
        Show($"remove {expanded}\n");
        if (_dryRun)
        {
            return 0;
        }

        int status = RunCommand(expanded, module.Name);
        int exitCode = ShellCommand.ExitCode(status);
        if (status == -1 || exitCode != 0)
        {
            Fatal($"Error running remove command for {module.Name}");
            if (status != -1)
            {
                return -exitCode;
            }
        }

        return status == -1 ? -1 : 0;
    }

    // rmmod_do_remove_module, with -w's retry while the module is busy.
    private int UnloadModule(ProbeModule module)
    {
        Show($"rmmod {module.Name}\n");
        if (_dryRun)
        {
            return 0;
        }

        var flags = ModuleUnloadFlags.NonBlocking | (_force ? ModuleUnloadFlags.Force : 0);
        long start = 0, end = 0, interval = 0;
        int error;
        while (true)
        {
            var result = _context.Kernel.UnloadModule(module.Name, flags);
            error = result.Succeeded ? 0 : -result.Errno;
            if (error < 0 && _waitMilliseconds == 0)
            {
                Error($"could not remove '{module.Name}': {Errno.Describe(result.Errno)}");
            }

            if (error == -Errno.EEXIST)
            {
                if (!_firstTime)
                {
                    error = 0;
                }
                else
                {
                    Fatal($"Module {module.Name} is not in kernel.");
                }

                break;
            }

            if (error != -Errno.EAGAIN || _waitMilliseconds == 0)
            {
                break;
            }

            // get_backoff_delta_msec: double the pause, never past the deadline.
            long now = Environment.TickCount64;
            if (start == 0)
            {
                start = now;
                end = start + (long)Math.Min(_waitMilliseconds, long.MaxValue / 2);
                interval = 1;
            }

            interval <<= 1; // kmod's first pause is 2 ms
            while (interval > 0 && now + interval > end)
            {
                interval >>= 1;
            }

            if (interval == 0 && end > now)
            {
                interval = end - now;
            }

            if (interval == 0)
            {
                break;
            }

            Thread.Sleep(TimeSpan.FromMilliseconds(interval));
        }

        if (error < 0 && _waitMilliseconds != 0)
        {
            Error($"could not remove '{module.Name}': {Errno.Describe(-error)}");
        }

        return error;
    }

    private sealed class FatalExit : Exception;
}
