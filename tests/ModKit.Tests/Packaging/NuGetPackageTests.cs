using System.IO.Compression;
using System.Xml.Linq;
using ModKit.Tests.Support;

namespace ModKit.Tests.Packaging;

/// <summary>
/// The library's NuGet package (build.sh: artifacts/nuget/ModKit.VERSION.nupkg): its contents and metadata, a
/// deterministic assembly, and examples/ModuleList built against the package and run on Debian 12's tree with a
/// FakeKernel, its answers checked against the tools'.
/// </summary>
public sealed class NuGetPackageTests
{
    private static readonly string Version = typeof(KmodProfile).Assembly.GetName().Version!.ToString(3);

    private static string Package => Path.Combine(RepositoryPaths.Root, "artifacts", "nuget", $"ModKit.{Version}.nupkg");

    [Fact]
    public void HoldsTheLibraryItsDocumentationAndReadme()
    {
        Assert.True(File.Exists(Package), $"{Package} is missing: ./build.sh packs the library");
        using var zip = ZipFile.OpenRead(Package);
        string[] names = [.. zip.Entries.Select(e => e.FullName)];
        Assert.Contains("lib/net10.0/ModKit.dll", names);
        Assert.Contains("lib/net10.0/ModKit.xml", names);
        Assert.Contains("README.md", names);

        XNamespace ns = XDocument.Load(zip.GetEntry("ModKit.nuspec")!.Open()).Root!.Name.Namespace;
        var metadata = XDocument.Load(zip.GetEntry("ModKit.nuspec")!.Open()).Root!.Element(ns + "metadata")!;
        Assert.Equal("ModKit", metadata.Element(ns + "id")!.Value);
        Assert.Equal(Version, metadata.Element(ns + "version")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        Assert.Contains("libkmod", metadata.Element(ns + "description")!.Value, StringComparison.Ordinal);

        // Every public member of the .NET face is documented in the package's XML.
        using var reader = new StreamReader(zip.GetEntry("lib/net10.0/ModKit.xml")!.Open());
        string documentation = reader.ReadToEnd();
        foreach (string member in new[] { "T:ModKit.KernelModules", "M:ModKit.KernelModules.Get(System.String)", "T:ModKit.ModuleDetails", "T:ModKit.ModuleOperationException", "M:ModKit.KernelModules.TryLoad(System.String,System.String,System.Int32@)" })
        {
            Assert.Contains($"name=\"{member}\"", documentation, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ThePackageIsDeterministic()
    {
        // The library's sources packed again from another folder, dated as build.sh dates them: the same package, byte for byte.
        using var temp = new TempDirectory();
        foreach (string file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" })
        {
            File.Copy(Path.Combine(RepositoryPaths.Root, file), Path.Combine(temp.Path, file));
        }

        string source = Path.Combine(RepositoryPaths.Root, "src", "ModKit");
        string copy = Path.Combine(temp.Path, "src", "ModKit");
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(copy, relative))!);
            File.Copy(file, Path.Combine(copy, relative));
        }

        var git = ProcessRunner.Run("git", ["log", "-1", "--format=%ct", "--", "src/ModKit"], RepositoryPaths.Root);
        string time = git.ExitCode == 0 && git.StdoutText.Trim().Length > 0 ? git.StdoutText.Trim() : "315532800";
        var result = ProcessRunner.Run("dotnet", ["pack", Path.Combine(copy, "ModKit.csproj"), "-c", "Release", "--nologo", "-v", "quiet",
            "-o", Path.Combine(temp.Path, "out"), $"-p:DeterministicTimestamp={time}"], temp.Path, timeout: TimeSpan.FromMinutes(5));
        Assert.True(result.ExitCode == 0, result.StdoutText + result.StderrText);
        string again = Path.Combine(temp.Path, "out", $"ModKit.{Version}.nupkg");
        Assert.Equal(Entry(Package, "lib/net10.0/ModKit.dll"), Entry(again, "lib/net10.0/ModKit.dll"));
        Assert.Equal(File.ReadAllBytes(Package), File.ReadAllBytes(again));
    }

    [Fact]
    public void TheExampleUsesThePackage()
    {
        var tree = KernelTree.Instance;
        string root = tree.Root("plain");
        using var packages = new TempDirectory();
        var result = ProcessRunner.Run("dotnet",
            ["run", "--project", Path.Combine(RepositoryPaths.Root, "examples", "ModuleList"), "--", "--root", root, "--release", tree.Release, "--fake", "--count", "4", "fs-vfat", "ext4"],
            RepositoryPaths.Root,
            environment: new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages.Path, ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
            timeout: TimeSpan.FromMinutes(5));
        Assert.True(result.ExitCode == 0, result.StdoutText + result.StderrText);
        string[] lines = result.StdoutText.Split('\n');

        // Restored from artifacts/nuget, not built from the sources.
        Assert.True(File.Exists(Path.Combine(packages.Path, "modkit", Version, $"modkit.{Version}.nupkg")));

        // The same answers as the tools.
        var resolved = InProcessTool.Run("modprobe", ["-d", root, "-S", tree.Release, "-R", "fs-vfat"]).StdoutText.Trim();
        Assert.Contains($"alias fs-vfat -> {resolved}", lines);
        var plan = InProcessTool.Run("modprobe", ["-d", root, "-S", tree.Release, "-D", "ext4"]).StdoutText
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => Path.GetFileName(l.Split(' ')[1]).Split('.')[0].Replace('-', '_'));
        string loaded = lines.Single(l => l.StartsWith("loaded ext4: ", StringComparison.Ordinal))["loaded ext4: ".Length..];
        Assert.Equal(plan.Order(StringComparer.Ordinal), loaded.Split(' ').Order(StringComparer.Ordinal));
        Assert.Contains($"unloaded ext4: {plan.Count() - 1} modules left", lines);
        Assert.Contains("error 2: Module no-such-module not found.", lines);

        string first = File.ReadLines(Path.Combine(tree.ModuleDirectory("plain"), "modules.dep")).First();
        string firstName = Path.GetFileName(first[..first.IndexOf(':')]).Split('.')[0].Replace('-', '_');
        string description = InProcessTool.Run("modinfo", ["-b", root, "-k", tree.Release, "-F", "description", firstName]).StdoutText.Split('\n')[0];
        Assert.Contains($"module {firstName}: {(description.Length > 0 ? description : "(no description)")}", lines);
    }

    private static byte[] Entry(string package, string name)
    {
        using var zip = ZipFile.OpenRead(package);
        using var stream = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
