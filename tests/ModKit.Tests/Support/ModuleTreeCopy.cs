namespace ModKit.Tests.Support;

/// <summary>
/// A temporary root holding <c>lib/modules/&lt;release&gt;</c> for one of the Debian trees (Debian 12's unless given): the <c>kernel/</c>
/// directory is a symbolic link to the cached tree (no 400 MB copy) and depmod's inputs (modules.order,
/// modules.builtin, modules.builtin.modinfo) are copied, so depmod can write its files there.
/// </summary>
internal sealed class ModuleTreeCopy : IDisposable
{
    public static readonly string[] Inputs = ["modules.order", "modules.builtin", "modules.builtin.modinfo"];

    public ModuleTreeCopy(string kind)
        : this(KernelTree.Instance, kind)
    {
    }

    public ModuleTreeCopy(KernelTree tree, string kind)
    {
        Release = tree.Release;
        Source = tree.ModuleDirectory(kind);
        Root = Directory.CreateTempSubdirectory("modkit-depmod-").FullName;
        ModuleDirectory = Path.Combine(Root, "lib", "modules", Release);
        Directory.CreateDirectory(ModuleDirectory);
        Directory.CreateSymbolicLink(Path.Combine(ModuleDirectory, "kernel"), Path.Combine(Source, "kernel"));
        foreach (string input in Inputs)
            File.Copy(Path.Combine(Source, input), Path.Combine(ModuleDirectory, input));
    }

    public string Release { get; }

    /// <summary>The cached module directory, with the files kmod's depmod wrote for it.</summary>
    public string Source { get; }

    public string Root { get; }

    public string ModuleDirectory { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
