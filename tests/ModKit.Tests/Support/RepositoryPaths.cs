namespace ModKit.Tests.Support;

/// <summary>Locates the repository the tests run from.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ModKit.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ModKit.slnx not found above " + AppContext.BaseDirectory);
    }
}
