using ModKit.Cli;

namespace ModKit.Tests.Support;

/// <summary>Runs a ModKit tool in-process against a context, capturing its output.</summary>
internal static class InProcessTool
{
    public static ProcessResult Run(string argv0, IReadOnlyList<string> args, string? currentDirectory = null,
        string root = "/", string kernelRelease = "0.0.0-test")
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var context = new ToolContext
        {
            Stdout = stdout,
            Stderr = stderr,
            CurrentDirectory = currentDirectory ?? Environment.CurrentDirectory,
            Root = root,
            KernelRelease = () => kernelRelease,
        };
        int exit = Multicall.Run(context, argv0, args);
        return new ProcessResult(stdout.ToArray(), stderr.ToArray(), exit);
    }
}
