using System.Collections.Concurrent;
using System.Globalization;
using ModKit.Tests.Support;

namespace ModKit.Tests.Packaging;

/// <summary>
/// What the packaging tests need, made once per profile and shared by the tests: ModKit's packages
/// (<c>scripts/package.sh 30|34</c>), Debian's kmod and libkmod2 packages of the release (Debian 12's through
/// this machine's apt, Debian 13's through scripts/trixie-apt.sh; cached under ~/.cache/modkit/debs), and
/// the report of an install into a throwaway copy of a root of that release (tests/packaging/try-install.sh).
/// </summary>
internal static class DebianPackages
{
    private static readonly ConcurrentDictionary<int, Lazy<Built>> BuiltPackages = new();
    private static readonly ConcurrentDictionary<int, Lazy<Debian>> DebianPackagesOf = new();
    private static readonly ConcurrentDictionary<int, Lazy<string>> Reports = new();

    public static string Cache { get; } = Environment.GetEnvironmentVariable("MODKIT_CACHE") is { Length: > 0 } cache
        ? cache
        : Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/root", ".cache", "modkit");

    /// <summary>The Debian release a profile is for.</summary>
    public static string Release(int profile) => profile == 30 ? "bookworm" : "trixie";

    /// <summary>ModKit's two packages of a profile (built once per test run).</summary>
    public static Built Ours(int profile) => BuiltPackages.GetOrAdd(profile, p => new Lazy<Built>(() => Build(p))).Value;

    /// <summary>Debian's kmod and libkmod2 packages of the profile's release.</summary>
    public static Debian Theirs(int profile) =>
        DebianPackagesOf.GetOrAdd(profile, p => new Lazy<Debian>(() => Download(p))).Value;

    /// <summary>
    /// The folder of try-install.sh's report: ModKit's packages installed with apt-get into a throwaway copy of
    /// this machine's Debian 12 system (profile 30) or of the cached Debian 13 root (34), then Debian's again.
    /// </summary>
    public static string InstallReport(int profile) =>
        Reports.GetOrAdd(profile, p => new Lazy<string>(() => TryInstall(p))).Value;

    /// <summary>Runs scripts/package.sh; its stdout names the two packages.</summary>
    public static ProcessResult RunPackageScript(int profile) =>
        ProcessRunner.Run("/bin/bash", [Path.Combine(RepositoryPaths.Root, "scripts", "package.sh"), profile.ToString(CultureInfo.InvariantCulture)],
            RepositoryPaths.Root, environment: PackageEnvironment(profile), timeout: TimeSpan.FromMinutes(15));

    /// <summary>The package script's environment: the suite's binaries when they are of the profile (never a rebuild of them).</summary>
    private static Dictionary<string, string> PackageEnvironment(int profile)
    {
        var environment = new Dictionary<string, string>();
        string? bin = Environment.GetEnvironmentVariable("MODKIT_BIN");
        string? lib = Environment.GetEnvironmentVariable("MODKIT_LIBKMOD");
        if (!string.IsNullOrEmpty(bin) && !string.IsNullOrEmpty(lib) && BuildProfile(bin) == profile)
        {
            environment["MODKIT_BIN"] = bin;
            environment["MODKIT_LIBKMOD"] = lib;
        }
        else
        {
            // package.sh then takes artifacts/bin, or builds the profile into artifacts/kmod<profile>.
            environment["MODKIT_BIN"] = "";
            environment["MODKIT_LIBKMOD"] = "";
        }

        return environment;
    }

    /// <summary>The profile a binary was built as (its <c>-V</c> without MODKIT_KMOD).</summary>
    public static int? BuildProfile(string binary)
    {
        var result = ProcessRunner.Run(ProcessRunner.Require("env"), ["-u", "MODKIT_KMOD", binary, "-V"]);
        string text = result.StdoutText;
        return text.Contains("kmod version 34.2\n", StringComparison.Ordinal) ? 34
            : text.Contains("kmod version 30\n", StringComparison.Ordinal) ? 30
            : null;
    }

    private static Built Build(int profile)
    {
        var result = RunPackageScript(profile);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/package.sh {profile} exited {result.ExitCode}:\n{result.StderrText}");
        }

        var paths = result.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => Path.Combine(RepositoryPaths.Root, p)).ToArray();
        string tools = paths.Single(p => Path.GetFileName(p).StartsWith("modkit_", StringComparison.Ordinal));
        string library = paths.Single(p => Path.GetFileName(p).StartsWith("modkit-libkmod2_", StringComparison.Ordinal));
        return new Built(tools, library, result.StderrText);
    }

    private static Debian Download(int profile)
    {
        string release = Release(profile);
        string dir = Path.Combine(Cache, "debs", release);
        Directory.CreateDirectory(dir);
        string? Find(string package) => Directory.GetFiles(dir, package + "_*_amd64.deb").Order(StringComparer.Ordinal).LastOrDefault();
        if (Find("kmod") is null || Find("libkmod2") is null)
        {
            var result = profile == 30
                ? ProcessRunner.Run(ProcessRunner.Require("apt-get"), ["-qq", "download", "kmod", "libkmod2"], dir)
                : ProcessRunner.Run("/bin/bash", [Path.Combine(RepositoryPaths.Root, "scripts", "trixie-apt.sh"), "-qq", "download", "kmod", "libkmod2"], dir);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"downloading {release}'s kmod and libkmod2 failed:\n{result.StderrText}");
            }
        }

        return new Debian(Find("kmod") ?? throw new InvalidOperationException("no kmod package in " + dir),
            Find("libkmod2") ?? throw new InvalidOperationException("no libkmod2 package in " + dir));
    }

    private static string TryInstall(int profile)
    {
        var ours = Ours(profile);
        var theirs = Theirs(profile);
        string root = profile == 30 ? "/" : TrixieRoot();
        string report = Path.Combine(Path.GetTempPath(), $"modkit-install-{profile}-{Guid.NewGuid():N}");
        var result = ProcessRunner.Run("/bin/bash",
            [Path.Combine(RepositoryPaths.Root, "tests", "packaging", "try-install.sh"), root, report,
                ours.Tools, ours.Library, "--", theirs.Kmod, theirs.Libkmod],
            timeout: TimeSpan.FromMinutes(10));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"try-install.sh exited {result.ExitCode}:\n{result.StdoutText}\n{result.StderrText}");
        }

        return report;
    }

    /// <summary>The cached Debian 13 root (systemd, udev, initramfs-tools, the 6.12 kernel, kmod): scripts/trixie-root.sh.</summary>
    public static string TrixieRoot()
    {
        string? kernelDir = Environment.GetEnvironmentVariable("MODKIT_TRIXIE_KERNEL_DIR");
        if (string.IsNullOrEmpty(kernelDir))
        {
            var fetched = ProcessRunner.Run("/bin/bash", [Path.Combine(RepositoryPaths.Root, "scripts", "fetch-kernel.sh"), "trixie"],
                timeout: TimeSpan.FromMinutes(20));
            kernelDir = fetched.StdoutText.Trim();
        }

        string release = Path.GetFileName(kernelDir.TrimEnd('/'));
        var result = ProcessRunner.Run("/bin/bash", [Path.Combine(RepositoryPaths.Root, "scripts", "trixie-root.sh"), release],
            timeout: TimeSpan.FromMinutes(30));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("scripts/trixie-root.sh failed:\n" + result.StderrText);
        }

        return result.StdoutText.Trim();
    }

    /// <summary>One member of a package's data archive.</summary>
    public sealed record Entry(char Type, string Mode, string Path, string? LinkTarget);

    /// <summary>The members of a package's data archive (<c>dpkg-deb -c</c>), by path without "./" and trailing "/".</summary>
    public static Dictionary<string, Entry> Contents(string deb)
    {
        var result = ProcessRunner.Run(ProcessRunner.Require("dpkg-deb"), ["-c", deb]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dpkg-deb -c {deb}: {result.StderrText}");
        }

        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (string line in result.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // drwxr-xr-x root/root         0 2022-12-10 00:02 ./bin/
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            string name = fields[5];
            string? target = null;
            int arrow = name.IndexOf(" -> ", StringComparison.Ordinal);
            if (fields[0][0] == 'l' && arrow >= 0)
            {
                target = name[(arrow + 4)..];
                name = name[..arrow];
            }

            name = name.TrimStart('.').Trim('/');
            if (name.Length > 0)
            {
                entries[name] = new Entry(fields[0][0], fields[0], name, target);
            }
        }

        return entries;
    }

    /// <summary>A control field (<c>dpkg-deb -f</c>), empty when the package has none.</summary>
    public static string Field(string deb, string field) =>
        ProcessRunner.Run(ProcessRunner.Require("dpkg-deb"), ["-f", deb, field]).StdoutText.Trim();

    /// <summary>The control members of a package (<c>dpkg-deb -e</c>) in a new folder.</summary>
    public static string Control(string deb, TempDirectory into)
    {
        string dir = Path.Combine(into.Path, Path.GetFileNameWithoutExtension(deb) + ".control");
        var result = ProcessRunner.Run(ProcessRunner.Require("dpkg-deb"), ["-e", deb, dir]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dpkg-deb -e {deb}: {result.StderrText}");
        }

        return dir;
    }

    /// <summary>The data of a package (<c>dpkg-deb -x</c>) in a new folder.</summary>
    public static string Extract(string deb, TempDirectory into)
    {
        string dir = Path.Combine(into.Path, Path.GetFileNameWithoutExtension(deb) + ".data");
        var result = ProcessRunner.Run(ProcessRunner.Require("dpkg-deb"), ["-x", deb, dir]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dpkg-deb -x {deb}: {result.StderrText}");
        }

        return dir;
    }

    /// <summary>ModKit's packages of one profile, and what package.sh said while making them.</summary>
    public sealed record Built(string Tools, string Library, string Log);

    /// <summary>Debian's packages of the profile's release.</summary>
    public sealed record Debian(string Kmod, string Libkmod);
}
