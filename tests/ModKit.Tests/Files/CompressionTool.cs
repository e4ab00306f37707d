using System.ComponentModel;
using ModKit.Tests.Support;

namespace ModKit.Tests.Files;

/// <summary>
/// Runs the real <c>xz</c>, <c>zstd</c> and <c>gzip</c> programs to make test data. A missing program fails
/// the test (it is a dependency of the test suite, installed by scripts/fetch-kernel.sh), never skips it.
/// </summary>
internal static class CompressionTool
{
    /// <summary>Compresses <paramref name="data"/> given as a file argument (zstd then records the content size).</summary>
    public static byte[] CompressFile(byte[] data, string tool, params string[] arguments)
    {
        string path = Path.Combine(Path.GetTempPath(), $"modkit-codec-{Guid.NewGuid():N}.ko");
        File.WriteAllBytes(path, data);
        try
        {
            return Run(tool, [.. arguments, "-c", path], stdin: null);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Compresses <paramref name="data"/> fed through a pipe (zstd then records no content size).</summary>
    public static byte[] CompressPipe(byte[] data, string tool, params string[] arguments) =>
        Run(tool, [.. arguments, "-c"], data);

    private static byte[] Run(string tool, string[] arguments, byte[]? stdin)
    {
        ProcessResult result;
        try
        {
            result = ProcessRunner.Run(tool, arguments, stdin: stdin);
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"'{tool}' is needed to make test data and could not be started ({e.Message}); " +
                        "install it (apt-get install xz-utils zstd gzip, or run scripts/fetch-kernel.sh)");
            throw;
        }

        Assert.True(result.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} failed: {result.StderrText}");
        return result.Stdout;
    }
}
