using ModKit.Cli.GetOpt;
using ModKit.Kernel;
using ModKit.Modules;

namespace ModKit.Cli.Tools;

/// <summary>
/// <c>insmod</c>: inserts one module file with the given parameters, with kmod's messages and exit statuses
/// (<c>tools/insmod.c</c>); the loading itself is the library's <see cref="ModuleLoader"/>.
/// </summary>
internal static class InsmodTool
{
    public static int Run(ToolContext context, string argv0, IReadOnlyList<string> args)
    {
        var log = new ToolLog(ModuleName.BaseName(argv0), context.Stderr);
        var profile = context.Profile;
        var force = ModuleForce.None;
        bool syslog = false;
        var parser = new GetOptParser(argv0, args, InsmodOptions.For(profile.CommandLines), new StderrWriter(context.Stderr));
        while (parser.TryNext(out var option))
        {
            switch (option.Code)
            {
                case 'p':
                    break; // kmod 30: accepted and ignored, for compatibility
                case 's' when profile.CommandLines == KmodCommandLines.Kmod30:
                    break; // kmod 30: likewise
                case 'f': force |= ModuleForce.All; break;
                case 's': syslog = true; break;
                case 'v': log.Verbosity++; break;
                case 'h':
                    using (var output = new ToolOutput(context.Stdout))
                    {
                        output.Write(InsmodOptions.Help(profile.CommandLines, log.Program));
                    }

                    return 0;
                case 'V':
                    using (var output = new ToolOutput(context.Stdout))
                    {
                        output.Write(ToolVersion.Text(profile));
                    }

                    return 0;
                default:
                    return 1;
            }
        }

        log.Open(context, syslog);

        var rest = parser.Remaining;
        if (rest.Count == 0)
        {
            log.Error("missing filename.");
            return 1;
        }

        string filename = rest[0];
        if (filename == "-")
        {
            log.Error("this tool does not support loading from stdin!");
            return 1;
        }

        string parameters = profile.InsmodQuotesParameterValues
            ? ModuleLoader.JoinParameters(rest.Skip(1))
            : string.Join(' ', rest.Skip(1));

        // kmod_module_new_from_path: the file must exist and yield a module name.
        string path = context.MakeAbsolute(filename);
        int errno = Stat(path);
        if (errno == 0 && ModuleName.FromPath(filename) is null)
        {
            errno = Errno.ENOENT;
        }

        if (errno != 0)
        {
            log.Error($"could not load module {filename}: {Errno.Describe(errno)}");
            return 1;
        }

        // kmod 34 routes libkmod's log through insmod's (log_setup_kmod_log); kmod 30's insmod shows none of it.
        var result = profile.InsmodRoutesLibraryLog
            ? ModuleLoader.Load(context.Kernel, path, parameters, force,
                info: message => log.Library(ToolLog.LogInfo, message),
                error: message => log.Library(ToolLog.LogErr, message), profile: profile)
            : ModuleLoader.Load(context.Kernel, path, parameters, force, profile: profile);
        if (!result.Succeeded)
        {
            log.Error($"could not insert module {filename}: {Describe(result.Errno)}");
            return 1;
        }

        return 0;
    }

    // insmod's own texts for the kernel's usual answers (mod_strerror).
    private static string Describe(int errno) => errno switch
    {
        Errno.ENOEXEC => "Invalid module format",
        Errno.ENOENT => "Unknown symbol in module",
        Errno.ESRCH => "Module has wrong symbol version",
        Errno.EINVAL => "Invalid parameters",
        _ => Errno.Describe(errno),
    };

    private static int Stat(string path)
    {
        try
        {
            File.GetAttributes(path);
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Errno.FromException(e);
        }
    }
}
