namespace ModKit.Tests.Support;

/// <summary>
/// The NativeAOT binary <c>artifacts/bin/modkit</c>: taken from MODKIT_BIN (set by scripts/test.sh),
/// or built with build.sh when it is missing.
/// </summary>
internal static class BuiltBinary
{
    private static readonly Lazy<string> Shared = new(Locate);

    public static string Path => Shared.Value;

    /// <summary>The directory holding modkit and its tool links.</summary>
    public static string Directory => System.IO.Path.GetDirectoryName(Path)!;

    private static string Locate()
    {
        string? fromEnv = Environment.GetEnvironmentVariable("MODKIT_BIN");
        if (!string.IsNullOrEmpty(fromEnv) && File.Exists(fromEnv))
        {
            return fromEnv;
        }

        string built = System.IO.Path.Combine(RepositoryPaths.Root, "artifacts", "bin", "modkit");
        if (!File.Exists(built))
        {
            var result = ProcessRunner.Run("/bin/bash", [System.IO.Path.Combine(RepositoryPaths.Root, "build.sh")], RepositoryPaths.Root);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException("build.sh failed: " + result.StderrText);
            }
        }

        return built;
    }
}
