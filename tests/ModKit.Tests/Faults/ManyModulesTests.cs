using System.Globalization;
using ModKit.Tests.Support;

namespace ModKit.Tests.Faults;

/// <summary>
/// depmod over a module directory of many synthetic modules (<see cref="SyntheticModuleTree"/>), ModKit's binary
/// beside kmod 30's and kmod 34.2's depmod on the same tree, each under GNU time for its peak RSS: byte-identical
/// files where kmod indexes the tree, the same refusal where it does not (kmod 34.2 numbers modules in 16 bits and
/// refuses 65535 or more; kmod 30's 16-bit numbers wrap and it aborts), and ModKit's peak RSS within a stated
/// bound that grows linearly with the module count at a small constant. The suite runs 2,000 and 10,000 modules;
/// <c>tests/faults/many-modules.sh</c> runs 10,000, 50,000 and 100,000 (MODKIT_MANY_MODULES) and prints the figures.
/// </summary>
public sealed class ManyModulesTests
{
    // Measured (README, "Faults"): 74.6 MB at 10,000 modules, 211 MB at 50,000, 363 MB at 100,000: 3.0-3.4 KB a
    // module above a base of about 40 MB (kmod 30: 3.2 KB a module). The bound leaves room for a shared machine's
    // noise and fails on a per-module cost half again as large.
    private const double BaseMegabytes = 40, KilobytesPerModule = 5;

    [Fact]
    public void DepmodIndexesManyModulesLikeKmodInBoundedMemory()
    {
        var counts = (Environment.GetEnvironmentVariable("MODKIT_MANY_MODULES") is { Length: > 0 } list ? list : "2000,10000")
            .Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        string? report = Environment.GetEnvironmentVariable("MODKIT_MANY_MODULES_REPORT");
        var peaks = new List<(int Count, string Profile, long Kilobytes)>();
        foreach (int count in counts)
        {
            using var root = new TempDirectory();
            SyntheticModuleTree.Write(root.Path, count);
            foreach (var oracle in new[] { KmodOracle.Kmod30, KmodOracle.Kmod34 })
            {
                var kmod = Measure(root.Path, "kmod", oracle, count);
                var ours = Measure(root.Path, "modkit", oracle, count);
                if (report is not null)
                {
                    File.AppendAllText(report, string.Create(CultureInfo.InvariantCulture,
                        $"{count} modules, {oracle.Profile.Name} profile: kmod exit {kmod.Result.ExitCode}, {kmod.PeakKilobytes / 1024.0:F1} MB, {kmod.Seconds:F2} s; ModKit exit {ours.Result.ExitCode}, {ours.PeakKilobytes / 1024.0:F1} MB, {ours.Seconds:F2} s{Describe(kmod, ours)}\n"));
                }

                peaks.Add((count, oracle.Profile.Name, ours.PeakKilobytes));
                if (count >= ushort.MaxValue && oracle == KmodOracle.Kmod30)
                {
                    // kmod 30's module numbers are 16 bits: they wrap, and it aborts on an assertion (SIGABRT). ModKit's
                    // kmod 30 profile has no limit; its indexes are checked through kmod 30's own reader instead.
                    Assert.Equal(128 + 6, kmod.Result.ExitCode);
                    Assert.True(ours.Result.ExitCode == 0, ours.Result.StderrText);
                    Assert.Equal("", ours.Result.StderrText);
                    AssertIndexesReadByKmod(ours.OutputRoot, count);
                    continue;
                }

                Assert.Equal(kmod.Result.ExitCode, ours.Result.ExitCode);
                Assert.Equal(kmod.Result.StderrText, ours.Result.StderrText);
                if (count >= ushort.MaxValue)
                {
                    // kmod 34.2 numbers modules in 16 bits too, and says so.
                    Assert.Equal(1, ours.Result.ExitCode);
                    Assert.Equal("depmod: FATAL: could not build module array: Numerical result out of range\n", ours.Result.StderrText);
                    continue;
                }

                Assert.True(ours.Result.ExitCode == 0, ours.Result.StderrText);
                foreach (string name in DepmodOracleOutputs.FileNames(oracle.Profile))
                {
                    byte[] expected = File.ReadAllBytes(Path.Combine(kmod.OutputDirectory, name));
                    byte[] actual = File.ReadAllBytes(Path.Combine(ours.OutputDirectory, name));
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"{count} modules, {oracle}: {name} differs ({actual.Length} vs {expected.Length} bytes)");
                }

                // The check used past kmod 30's limit, proven here on kmod's own indexes.
                if (oracle == KmodOracle.Kmod30)
                {
                    AssertIndexesReadByKmod(kmod.OutputRoot, count);
                }
            }
        }

        foreach (var (count, profile, kilobytes) in peaks)
        {
            double bound = BaseMegabytes + (count * KilobytesPerModule / 1024);
            Assert.True(kilobytes / 1024.0 <= bound, $"{count} modules, {profile} profile: ModKit's peak RSS {kilobytes} kB is over the bound {bound:F0} MB");
        }
    }

    private sealed record Run(ProcessResult Result, long PeakKilobytes, double Seconds, string OutputRoot)
    {
        public string OutputDirectory => Path.Combine(OutputRoot, "lib", "modules", SyntheticModuleTree.Release);
    }

    private static string Describe(Run kmod, Run ours)
    {
        string Text(Run run) => run.Result.StderrText.Trim().Split('\n')[0];
        return kmod.Result.ExitCode == 0 && ours.Result.ExitCode == 0 ? "" : $" (kmod: {Text(kmod)}; ModKit: {Text(ours)})";
    }

    // kmod 30's modprobe over ModKit's modules.alias.bin and modules.dep.bin: each sampled alias resolves to its module,
    // with the dependencies SyntheticModuleTree gave it, in load order.
    private static void AssertIndexesReadByKmod(string root, int count)
    {
        int[] samples = [0, 1, 99, 100, 101, 65534, 65535, 65536, 65599, 70000, count - 1];
        foreach (int i in samples.Where(i => i < count))
        {
            var result = Kmod.Run("modprobe", ["-d", root, "-S", SyntheticModuleTree.Release, "-D", $"synthetic:{i}"]);
            Assert.True(result.ExitCode == 0, result.StderrText);
            var loaded = result.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => Path.GetFileNameWithoutExtension(l.Trim().Split(' ')[1])).ToList();
            int parent = i % 100 != 0 ? i - (i % 100) : 0;
            var chain = new[] { 0, parent, i }.Distinct().Select(m => $"syn{m:D6}").ToList();
            Assert.True(chain.SequenceEqual(loaded), $"synthetic:{i}: {string.Join(" ", loaded)}, not {string.Join(" ", chain)}\n{result.StdoutText}\n" + string.Join("\n", File.ReadLines(Path.Combine(root, "lib", "modules", SyntheticModuleTree.Release, "modules.dep")).Take(5)));
        }

        int lines = File.ReadLines(Path.Combine(root, "lib", "modules", SyntheticModuleTree.Release, "modules.dep")).Count();
        Assert.Equal(count, lines);
    }

    // depmod under GNU time; then its files move to a folder of their own (kmod 30 has no -o), so that kmod's and
    // ModKit's sit side by side and each run starts from a directory with no index in it.
    private static Run Measure(string root, string who, KmodOracle oracle, int count)
    {
        string outputRoot = Path.Combine(root, $"out-{who}-{oracle.Profile.Name}");
        string output = Path.Combine(outputRoot, "lib", "modules", SyntheticModuleTree.Release);
        string figures = Path.Combine(root, $"time-{who}-{oracle.Profile.Name}");
        string[] depmod = ["-b", root, SyntheticModuleTree.Release];
        string time = ProcessRunner.Require("/usr/bin/time");
        string[] command = who == "kmod"
            ? ["/bin/bash", "-c", oracle.BashCommand("depmod"), "depmod", .. depmod]
            : ["/bin/bash", "-c", "exec -a depmod \"$0\" \"$@\"", BuiltBinary.Path, .. depmod];
        var result = ProcessRunner.Run(time, ["-f", "%M %e", "-o", figures, .. command], environment: oracle.ModKitEnvironment,
            timeout: TimeSpan.FromMinutes(10 + (count / 10000)));
        Assert.False(result.TimedOut, $"{who} depmod timed out on {count} modules");
        string[] words = File.ReadAllLines(figures).Last().Split(' ');
        if (who == "kmod")
        {
            result = result with { Stderr = Kmod.NormalizeLibkmodLocation(result.Stderr) };
        }

        string directory = Path.Combine(root, "lib", "modules", SyntheticModuleTree.Release);
        Directory.CreateDirectory(output);
        if (!Directory.Exists(Path.Combine(output, "kernel")))
        {
            // The module files, for modprobe over these indexes (it shows a dependency only if its file is there).
            Directory.CreateSymbolicLink(Path.Combine(output, "kernel"), Path.Combine(directory, "kernel"));
        }

        foreach (string file in Directory.GetFiles(directory, "modules.*").Where(f => !Inputs.Contains(Path.GetFileName(f))))
        {
            File.Move(file, Path.Combine(output, Path.GetFileName(file)));
        }

        return new Run(result, long.Parse(words[0], CultureInfo.InvariantCulture), double.Parse(words[1], CultureInfo.InvariantCulture), outputRoot);
    }

    private static readonly HashSet<string> Inputs = ["modules.order", "modules.builtin", "modules.builtin.modinfo"];
}
