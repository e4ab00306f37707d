using System.Collections.Concurrent;

namespace ModKit.Tests.Support;

/// <summary>
/// The files a kmod release's depmod writes for one of the Debian trees. Where the cache's index files are that
/// release's (Debian 12's trees and kmod 30, Debian 13's and kmod 34.2) they are read there; otherwise the
/// release's depmod runs once per test run over a copy of the tree (kmod 34.2 judging Debian 12's trees) and
/// every test reads that copy, which is removed when the test process ends.
/// </summary>
internal static class DepmodOracleOutputs
{
    private static readonly ConcurrentDictionary<(KmodOracle, KernelTree, string), Lazy<string>> Runs = new();
    private static readonly ConcurrentBag<ModuleTreeCopy> Copies = [];

    static DepmodOracleOutputs()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var copy in Copies)
                copy.Dispose();
        };
    }

    /// <summary>The directory holding the files <paramref name="oracle"/>'s depmod wrote for the tree's <paramref name="kind"/>.</summary>
    public static string Directory(KmodOracle oracle, KernelTree tree, string kind)
    {
        if (tree.IndexedBy == oracle.Profile)
            return tree.ModuleDirectory(kind);
        return Runs.GetOrAdd((oracle, tree, kind), key => new Lazy<string>(() => Run(key.Item1, key.Item2, key.Item3))).Value;
    }

    /// <summary>The names of the files depmod writes, in the order kmod writes them.</summary>
    public static IReadOnlyList<string> FileNames(KmodProfile profile) =>
    [
        "modules.dep", "modules.dep.bin", "modules.alias", "modules.alias.bin", "modules.softdep",
        .. profile.WritesWeakDependencies ? ["modules.weakdep"] : Array.Empty<string>(),
        "modules.symbols", "modules.symbols.bin", "modules.builtin.bin", "modules.builtin.alias.bin", "modules.devname",
    ];

    private static string Run(KmodOracle oracle, KernelTree tree, string kind)
    {
        var copy = new ModuleTreeCopy(tree, kind);
        Copies.Add(copy);
        var result = oracle.Run("depmod", ["-b", copy.Root, tree.Release], timeout: TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0 || result.Stderr.Length > 0)
            throw new InvalidOperationException($"{oracle}'s depmod failed on the {kind} tree ({result.ExitCode}): {result.StderrText}");
        return copy.ModuleDirectory;
    }
}
