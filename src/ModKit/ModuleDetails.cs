namespace ModKit;

/// <summary>
/// What <see cref="KernelModules.Get"/> knows about a module: where it is, what it needs, and its <c>.modinfo</c>
/// fields and parameters (modinfo's view; texts that are not UTF-8 have U+FFFD in their place).
/// </summary>
/// <param name="Name">The module's name (underscores, as the kernel names it).</param>
/// <param name="Path">The module file, or null for a module built into the kernel.</param>
/// <param name="Dependencies">The files it needs, from modules.dep (loaded last to first).</param>
/// <param name="Fields">The <c>.modinfo</c> fields in file order, with the signature's; <c>parm</c> and <c>parmtype</c> are in <paramref name="Parameters"/>.</param>
/// <param name="Parameters">The parameters in modinfo's order.</param>
public sealed record ModuleDetails(
    string Name,
    string? Path,
    IReadOnlyList<string> Dependencies,
    IReadOnlyList<KeyValuePair<string, string>> Fields,
    IReadOnlyList<ModuleParameter> Parameters)
{
    /// <summary>Whether the module is built into the kernel (no file).</summary>
    public bool IsBuiltin => Path is null;

    /// <summary>The values of every field named <paramref name="key"/>, in file order.</summary>
    /// <param name="key">e.g. <c>alias</c> or <c>firmware</c>.</param>
    /// <returns>The values.</returns>
    public IEnumerable<string> Values(string key) => Fields.Where(f => f.Key == key).Select(f => f.Value);

    /// <summary>The first value of the field named <paramref name="key"/>, or null.</summary>
    /// <param name="key">e.g. <c>license</c>.</param>
    /// <returns>The value, or null.</returns>
    public string? Value(string key) => Values(key).FirstOrDefault();

    /// <summary>The <c>license</c> field, or null.</summary>
    public string? License => Value("license");

    /// <summary>The <c>description</c> field, or null.</summary>
    public string? Description => Value("description");

    /// <summary>The aliases the module declares.</summary>
    public IEnumerable<string> Aliases => Values("alias");
}
