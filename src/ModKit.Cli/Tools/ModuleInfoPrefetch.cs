using ModKit.Elf;
using ModKit.Modules;

namespace ModKit.Cli.Tools;

/// <summary>
/// Reads the information of the module files given on modinfo's command line a few arguments ahead,
/// on the thread pool, so that decompressing a tree of .ko.xz files uses every core while the output
/// stays in argument order. At most <c>window</c> modules are held at once. With <c>readImage</c> (modinfo --verify)
/// each file's decompressed image is read in the same task, for the signature check on the calling thread.
/// </summary>
internal sealed class ModuleInfoPrefetch(IReadOnlyList<string?> paths, KmodProfile profile, Func<string, byte[]?>? readImage = null)
{
    private readonly Task<(int Error, List<ModInfoEntry> Entries, ModuleFormatException? Failure, byte[]? Image)>?[] _pending =
        new Task<(int, List<ModInfoEntry>, ModuleFormatException?, byte[]?)>?[paths.Count];
    private readonly int _window = Environment.ProcessorCount + 1;
    private int _started;

    /// <summary>The information of the module file at <paramref name="index"/> (its path must not be null).</summary>
    public int Take(int index, out List<ModInfoEntry> entries, out ModuleFormatException? failure, out byte[]? image)
    {
        for (; _started < paths.Count && _started <= index + _window; _started++)
        {
            if (paths[_started] is string path)
            {
                _pending[_started] = Task.Run(() =>
                {
                    int error = ModuleFile.TryGetInfo(path, out var read, out var failure, profile.SignatureRules, profile.ZstdDecoding);
                    return (error, read, failure, error == 0 ? readImage?.Invoke(path) : null);
                });
            }
        }

        var task = _pending[index] ?? throw new InvalidOperationException("no module file at " + index);
        _pending[index] = null;
        (int result, entries, failure, image) = task.GetAwaiter().GetResult();
        return result;
    }
}
