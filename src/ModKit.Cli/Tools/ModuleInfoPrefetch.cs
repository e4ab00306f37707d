using ModKit.Elf;
using ModKit.Modules;
using ModKit.Signing;

namespace ModKit.Cli.Tools;

/// <summary>
/// Reads the information of the module files given on modinfo's command line a few arguments ahead,
/// on the thread pool, so that decompressing a tree of .ko.xz files uses every core while the output
/// stays in argument order. At most <c>window</c> modules are held at once. With <c>verify</c> (modinfo --verify)
/// each file's signature is checked in the same task, over the image already decompressed for its information.
/// </summary>
internal sealed class ModuleInfoPrefetch(IReadOnlyList<string?> paths, KmodProfile profile, Func<ModuleFile, SignatureVerification>? verify = null)
{
    private readonly Task<Result>?[] _pending = new Task<Result>?[paths.Count];
    private readonly int _window = Environment.ProcessorCount + 1;
    private int _started;

    /// <summary>The information of the module file at <paramref name="index"/> (its path must not be null).</summary>
    /// <returns>0, or the error number kmod reports for the file.</returns>
    public int Take(int index, out List<ModInfoEntry> entries, out ModuleFormatException? failure, out SignatureVerification? verification)
    {
        for (; _started < paths.Count && _started <= index + _window; _started++)
        {
            if (paths[_started] is string path)
            {
                _pending[_started] = Task.Run(() => Read(path));
            }
        }

        var task = _pending[index] ?? throw new InvalidOperationException("no module file at " + index);
        _pending[index] = null;
        (int result, entries, failure, verification) = task.GetAwaiter().GetResult();
        return result;
    }

    private Result Read(string path)
    {
        try
        {
            using var file = ModuleFile.Open(path, profile.ZstdDecoding);
            var entries = file.GetInfo(profile.SignatureRules);
            return new Result(0, entries, null, verify?.Invoke(file));
        }
        catch (ModuleFormatException e)
        {
            return new Result(e.ErrorNumber, [], e, null);
        }
    }

    private readonly record struct Result(int Error, List<ModInfoEntry> Entries, ModuleFormatException? Failure, SignatureVerification? Verification);
}
