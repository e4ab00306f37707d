namespace ModKit.Tests.Support;

/// <summary>
/// ModKit's <c>libkmod.so.2</c> (src/ModKit.Native, published by build.sh as <c>artifacts/lib/libkmod.so.2</c>):
/// taken from MODKIT_LIBKMOD (set by scripts/test.sh), or built with build.sh when it is missing.
/// </summary>
internal static class BuiltLibrary
{
    private static readonly Lazy<string> Shared = new(Locate);

    public static string Path => Shared.Value;

    /// <summary>Debian 12's libkmod (kmod 30), the library ModKit's is compared with.</summary>
    public const string DebianLibkmod = "/lib/x86_64-linux-gnu/libkmod.so.2";

    private static string Locate()
    {
        string? fromEnv = Environment.GetEnvironmentVariable("MODKIT_LIBKMOD");
        if (!string.IsNullOrEmpty(fromEnv) && File.Exists(fromEnv))
        {
            return fromEnv;
        }

        string built = System.IO.Path.Combine(RepositoryPaths.Root, "artifacts", "lib", "libkmod.so.2");
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
