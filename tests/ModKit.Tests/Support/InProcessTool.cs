using ModKit.Cli;
using ModKit.Kernel;

namespace ModKit.Tests.Support;

/// <summary>Runs a ModKit tool in-process against a context, capturing its output.</summary>
internal static class InProcessTool
{
    public static ProcessResult Run(string argv0, IReadOnlyList<string> args, string? currentDirectory = null,
        string root = "/", string kernelRelease = "0.0.0-test", IKernel? kernel = null,
        Func<string, IReadOnlyDictionary<string, string>, int>? shell = null, IReadOnlyDictionary<string, string>? environment = null,
        KmodProfile? profile = null, bool stderrOpen = true, Func<string, Action<int, string>>? syslog = null)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var context = new ToolContext
        {
            Stdout = stdout,
            Stderr = stderr,
            StderrIsOpen = () => stderrOpen,
            Syslog = syslog,
            CurrentDirectory = currentDirectory ?? Environment.CurrentDirectory,
            Root = root,
            // Without a kernel of its own a test gets a fake one over a folder that does not exist:
            // it reads as "nothing loaded" and never touches the real /proc or /sys.
            Kernel = kernel ?? new FakeKernel("/nonexistent/modkit-fake-kernel", kernelRelease),
            KernelRelease = () => kernel?.Release ?? kernelRelease,
            Shell = shell ?? ((_, _) => throw new InvalidOperationException("this test runs no shell commands")),
            Environment = environment ?? new Dictionary<string, string>(),
            // kmod 30 unless the test asks for another profile: most tests compare with kmod 30.
            Profile = profile ?? KmodProfile.Kmod30,
        };
        int exit = Multicall.Run(context, argv0, args);
        return new ProcessResult(stdout.ToArray(), stderr.ToArray(), exit);
    }
}
