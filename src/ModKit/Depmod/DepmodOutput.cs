namespace ModKit.Depmod;

/// <summary>One file depmod writes, with its contents.</summary>
/// <param name="Name">The file name in the module directory, e.g. <c>modules.dep.bin</c>.</param>
/// <param name="Contents">The file's bytes.</param>
/// <param name="IsIndex">Whether it is a binary index (not produced for <c>depmod -n</c>).</param>
public sealed record DepmodOutput(string Name, byte[] Contents, bool IsIndex);
