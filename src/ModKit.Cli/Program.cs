namespace ModKit.Cli;

/// <summary>
/// The multi-call entry point: like kmod, the program acts as the tool it was invoked as
/// (<c>argv[0]</c>'s base name), or as the <c>modkit</c> front-end otherwise.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var stdout = new StandardStream(1);
        var stderr = new StandardStream(2);

        // Started with "2>&-": asked before anything is opened (modprobe then uses syslog); /dev/null then holds
        // descriptor 2 so that no file opened later takes its number and receives the messages.
        bool stderrOpen = stderr.IsOpen();
        if (!stderrOpen)
        {
            StandardStream.Reserve(2);
        }

        var kernel = new ModKit.Kernel.LinuxKernel();

        // MODKIT_KMOD=30|34 chooses the kmod release to behave as, over the build's default.
        var profile = KmodProfile.BuildDefault;
        if (Environment.GetEnvironmentVariable("MODKIT_KMOD") is { Length: > 0 } chosen)
        {
            if (KmodProfile.FromName(chosen) is not { } named)
            {
                new ToolLog(ModKit.Modules.ModuleName.BaseName(InvocationName()), stderr)
                    .Raw($"modkit: MODKIT_KMOD='{chosen}' names no kmod release: use 30 or 34\n");
                return 1;
            }

            profile = named;
        }

        var context = new ToolContext
        {
            Stdout = stdout,
            Stderr = stderr,
            StderrIsOpen = () => stderrOpen,
            CurrentDirectory = Environment.CurrentDirectory,
            EnvironmentSource = () => ModKit.Probe.ShellCommand.CurrentEnvironment(),
            EnvironmentVariableSource = Environment.GetEnvironmentVariable,
            Kernel = kernel,
            Profile = profile,
            Syslog = SyslogWriter.For,
            KernelRelease = () => kernel.Release,
            Shell = ModKit.Probe.ShellCommand.Run,
        };

        try
        {
            return Multicall.Run(context, InvocationName(), args);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The last line of defence: an I/O failure is reported, never a stack trace.
            var log = new ToolLog(ModKit.Modules.ModuleName.BaseName(InvocationName()), stderr);
            log.Error(e.Message);
            return 1;
        }
    }

    // Under NativeAOT the first command-line argument is argv[0] exactly as given (a link's name, a
    // relative path, or what `exec -a` set), which is what kmod dispatches on. Under the JIT (the
    // test build) it is the .dll's path instead; there /proc/self/cmdline has argv[0]. (The JIT build
    // cannot ask RuntimeFeature: PublishAot makes its runtimeconfig turn dynamic code off.)
    private static string InvocationName()
    {
        string first = Environment.GetCommandLineArgs()[0];
        return first.EndsWith(".dll", StringComparison.Ordinal) ? Argv0FromProc() : first;
    }

    private static string Argv0FromProc()
    {
        try
        {
            var cmdline = File.ReadAllBytes("/proc/self/cmdline");
            int end = Array.IndexOf(cmdline, (byte)0);
            if (end > 0)
            {
                return System.Text.Encoding.UTF8.GetString(cmdline, 0, end);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return Environment.GetCommandLineArgs()[0];
    }
}
