using System.Security.Cryptography;
using ModKit.Tests.Support;
using Xunit;

namespace ModKit.Tests.Native;

/// <summary>
/// dracut-install, the libkmod client dracut runs to put kernel modules into an initramfs (Debian's own
/// binary, scripts/fetch-dracut-install.sh), run once on Debian's libkmod and once on ModKit's with the
/// module requests and filters dracut's kernel-modules module makes: the files it installs, its standard
/// output and error and its exit status must be the same.
/// </summary>
public sealed class DracutInstallTests
{
    private static readonly Lazy<string> Binaries = new(() =>
    {
        var result = ProcessRunner.Run("/bin/bash", [Path.Combine(RepositoryPaths.Root, "scripts", "fetch-dracut-install.sh")], timeout: TimeSpan.FromMinutes(10));
        Assert.True(result.ExitCode == 0, "scripts/fetch-dracut-install.sh failed: " + result.StderrText);
        return result.StdoutText.Trim();
    });

    // dracut's 90kernel-modules: block drivers are the modules of drivers/ that use one of these symbols.
    private const string BlockFunctions = "ahci_platform_get_resources|ata_scsi_ioctl|scsi_add_host|blk_cleanup_queue|register_mtd_blktrans|scsi_esp_register|register_virtio_device|dasd_generic_set_online|qdisc_reset|blk_mq_alloc_disk";

    public static TheoryData<string, string[]> Requests => new()
    {
        { "named", ["-v", "-m", "ext4", "xfs", "btrfs", "nvme", "virtio_blk", "virtio_net", "virtio_scsi", "virtio_pci", "usb_storage", "sd_mod", "ahci"] },
        { "block drivers by symbol", ["-v", "-o", "-s", BlockFunctions, "-m", "=drivers"] },
        { "folders with exclusions", ["-v", "-o", "-m", "=drivers/block", "=drivers/usb/storage", "=fs/ext4", "=fs/xfs", "=fs/btrfs", "=drivers/nvme", "-P", "/drivers/block/(drbd|rnbd)", "-N", "floppy"] },
        { "aliases and optional", ["--silent", "-o", "-m", "ext4", "nonexistent_module", "pcspkr", "fs-xfs", "crypto-aes", "virtio:d00000001v*"] },
        { "missing module", ["-m", "ext4", "nonexistent_module"] },
    };

    /// <summary>Debian 12's dracut-install (dracut 059) on Debian 12's tree, against libkmod 30.</summary>
    [Theory]
    [MemberData(nameof(Requests))]
    public void Debian12sDracutInstallGetsTheSameModules(string what, string[] request)
    {
        string program = Path.Combine(Binaries.Value, "bookworm", "dracut-install");
        string library = Path.GetDirectoryName(BuiltLibrary.Path)!;
        string directory = KernelTree.Instance.ModuleDirectory("plain");
        Compare(what, request,
            (destination, args) => (program, [.. Options(destination, directory), .. args], null),
            (destination, args) => (program, [.. Options(destination, directory), .. args],
                new Dictionary<string, string> { ["LD_LIBRARY_PATH"] = library, ["MODKIT_KMOD"] = "30" }));
    }

    /// <summary>
    /// Debian 13's dracut-install (dracut 106, which also asks for weak dependencies) on Debian 13's xz tree,
    /// through trixie's loader, against libkmod 34.2 and a kmod 34 build run as kmod 34.
    /// </summary>
    [Theory]
    [MemberData(nameof(Requests))]
    public void Debian13sDracutInstallGetsTheSameModules(string what, string[] request)
    {
        if (!ReadElf.VersionDefinitions(BuiltLibrary.Path).ContainsKey("LIBKMOD_33"))
        {
            return; // a kmod 30 build has no kmod_module_get_weakdeps, which this dracut-install needs
        }

        string program = Path.Combine(Binaries.Value, "trixie", "dracut-install");
        var (loader, prefix, _) = KmodOracle.Kmod34.Invocation("kmod");
        string trixieLibraries = prefix[1];
        string ours = Path.GetDirectoryName(BuiltLibrary.Path)!;
        string directory = KernelTree.Trixie.ModuleDirectory("xz");
        Compare(what, request,
            (destination, args) => (loader, ["--library-path", trixieLibraries, program, .. Options(destination, directory), .. args], null),
            (destination, args) => (loader, ["--library-path", ours + ":" + trixieLibraries, program, .. Options(destination, directory), .. args],
                new Dictionary<string, string> { ["MODKIT_KMOD"] = "34" }));
    }

    private delegate (string Program, string[] Args, Dictionary<string, string>? Environment) Invocation(string destination, string[] request);

    private static string[] Options(string destination, string moduleDirectory) =>
        ["-D", destination, "--kerneldir", moduleDirectory, "--firmwaredirs", Path.Combine(Path.GetDirectoryName(destination)!, "firmware")];

    private static void Compare(string what, string[] request, Invocation debian, Invocation modkit)
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(temp.Path, "firmware"));

        // The loader's own account: the ModKit run loads ModKit's library.
        var (loaderProgram, loaderArgs, loaderEnvironment) = modkit(Path.Combine(temp.Path, "initramfs"), ["--version"]);
        var loaded = ProcessRunner.Run(loaderProgram, loaderArgs, temp.Path, environment: new Dictionary<string, string>(loaderEnvironment ?? []) { ["LD_DEBUG"] = "libs" });
        Assert.Contains("calling init: " + BuiltLibrary.Path + "\n", loaded.StderrText, StringComparison.Ordinal);

        var results = new List<(ProcessResult Result, SortedDictionary<string, string> Files)>();
        foreach (var invocation in new[] { debian, modkit })
        {
            // The same destination path for both runs: dracut-install prints it.
            string destination = Path.Combine(temp.Path, "initramfs");
            if (Directory.Exists(destination))
            {
                Directory.Delete(destination, recursive: true);
            }

            Directory.CreateDirectory(destination);
            var (program, args, environment) = invocation(destination, request);
            var result = ProcessRunner.Run(program, args, temp.Path, environment: environment, timeout: TimeSpan.FromMinutes(2));
            Assert.False(result.TimedOut, what + ": timed out");
            results.Add((result, Files(destination)));
        }

        var (expected, expectedFiles) = results[0];
        var (actual, actualFiles) = results[1];
        Assert.True(expected.ExitCode != 0 || expectedFiles.Keys.Any(path => path.Contains("/ext4.ko", StringComparison.Ordinal) || path.Contains("/kernel/drivers/", StringComparison.Ordinal)),
            $"{what}: Debian's run installed no module ({string.Join(' ', request)}): {expected.StderrText}");
        Assert.True(expected.SameAs(actual), $"{what}: {actual.DescribeDifference(expected)}");
        Assert.Equal(expectedFiles, actualFiles);
    }

    // Every path under the destination with what it is: a folder, a link and its target, or a file's SHA-256.
    private static SortedDictionary<string, string> Files(string root)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            string path = Path.GetRelativePath(root, entry.FullName);
            files[path] = entry.LinkTarget is { } target ? "-> " + target
                : entry is DirectoryInfo ? "folder"
                : Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry.FullName)));
        }

        return files;
    }
}
