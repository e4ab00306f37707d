namespace ModKit.Modules;

/// <summary>
/// A module found by name, alias or path, before it is opened: its name, where its file is (when it
/// has one) and whether it is built into the kernel. The counterpart of libkmod's <c>kmod_module</c>
/// before any of its lazy data is read.
/// </summary>
public sealed class ModuleReference
{
    /// <summary>Creates a reference.</summary>
    /// <param name="name">The normalised module name.</param>
    /// <param name="path">The module file's absolute path, when known.</param>
    /// <param name="builtin">Whether the module is builtin, when known.</param>
    public ModuleReference(string name, string? path = null, bool? builtin = null)
    {
        Name = name;
        Path = path;
        Builtin = builtin;
    }

    /// <summary>The normalised module name.</summary>
    public string Name { get; }

    /// <summary>The module file's absolute path, once known.</summary>
    public string? Path { get; internal set; }

    /// <summary>Whether the module is builtin: <see langword="null"/> until a lookup or index told.</summary>
    public bool? Builtin { get; internal set; }

    /// <summary>The <c>modules.dep</c> dependencies (absolute paths), once resolved from the index.</summary>
    public IReadOnlyList<string>? Dependencies { get; internal set; }

    /// <inheritdoc/>
    public override string ToString() => Path ?? Name;
}
