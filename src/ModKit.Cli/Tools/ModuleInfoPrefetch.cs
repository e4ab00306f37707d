using ModKit.Elf;
using ModKit.Modules;

namespace ModKit.Cli.Tools;

/// <summary>
/// Reads the information of the module files given on modinfo's command line a few arguments ahead,
/// on the thread pool, so that decompressing a tree of .ko.xz files uses every core while the output
/// stays in argument order. At most <c>window</c> modules are held at once.
/// </summary>
internal sealed class ModuleInfoPrefetch(IReadOnlyList<string?> paths, KmodProfile profile)
{
    private readonly Task<(int Error, List<ModInfoEntry> Entries, ModuleFormatException? Failure)>?[] _pending =
        new Task<(int, List<ModInfoEntry>, ModuleFormatException?)>?[paths.Count];
    private readonly int _window = Environment.ProcessorCount + 1;
    private int _started;

    /// <summary>The information of the module file at <paramref name="index"/> (its path must not be null).</summary>
    public int Take(int index, out List<ModInfoEntry> entries, out ModuleFormatException? failure)
    {
        for (; _started < paths.Count && _started <= index + _window; _started++)
        {
            if (paths[_started] is string path)
            {
                _pending[_started] = Task.Run(() =>
                {
                    int error = ModuleFile.TryGetInfo(path, out var read, out var failure, profile.SignatureRules, profile.ZstdDecoding);
                    return (error, read, failure);
                });
            }
        }

        var task = _pending[index] ?? throw new InvalidOperationException("no module file at " + index);
        _pending[index] = null;
        (int result, entries, failure) = task.GetAwaiter().GetResult();
        return result;
    }
}
