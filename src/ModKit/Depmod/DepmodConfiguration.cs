namespace ModKit.Depmod;

/// <summary>
/// What depmod.d says about one kernel: the search order of sub-directories, overrides, external directories
/// and excluded directory names (docs/kmod-behavior.md §2.5; kmod <c>tools/depmod.c: cfg_*</c>). Entries are
/// kept in the order the configuration gives them.
/// </summary>
public sealed partial class DepmodConfiguration
{
    /// <summary>The <c>search</c> keyword for the kernel's own tree: everything no other entry matches.</summary>
    public const string BuiltIn = "built-in";

    /// <summary>The <c>search</c> keyword standing for the <see cref="Externals"/> directories, in their order.</summary>
    public const string External = "external";

    /// <summary>
    /// <c>search</c> entries, highest priority first: directories relative to the module directory,
    /// <see cref="BuiltIn"/> or <see cref="External"/>. When no configuration has a <c>search</c> line kmod uses
    /// just <c>updates</c> (see <see cref="EffectiveSearches"/>).
    /// </summary>
    public List<string> Searches { get; } = [];

    /// <summary>
    /// <c>override</c> entries that apply to the kernel: paths relative to the module directory, of the form
    /// <c>SUBDIR/MODNAME</c> (the file's path without extension), that win over any other file of the same module.
    /// </summary>
    public List<string> Overrides { get; } = [];

    /// <summary><c>external</c> directories that apply to the kernel: absolute paths scanned after the module directory.</summary>
    public List<string> Externals { get; } = [];

    /// <summary><c>exclude</c> names: directory entries with these names are skipped at any depth.</summary>
    public List<string> Excludes { get; } = [];

    /// <summary>The search list depmod works with: <see cref="Searches"/>, or <c>updates</c> alone when it is empty.</summary>
    public IReadOnlyList<string> EffectiveSearches => Searches.Count > 0 ? Searches : ["updates"];
}
