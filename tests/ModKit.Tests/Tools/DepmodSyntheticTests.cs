using System.Text;
using ModKit.Tests.Support;

namespace ModKit.Tests.Tools;

/// <summary>
/// Small synthetic module trees, built twice: a kmod release's depmod runs over one copy and ModKit's, in the
/// profile that behaves as that release, over the other; exit code, messages and every file must match. Each
/// test runs against kmod 30 (<see cref="Kmod30"/>) and against kmod 34.2 (<see cref="Kmod34"/>).
/// </summary>
public abstract partial class DepmodSyntheticTests
{
    private const string Release = "4.4.4";

    private readonly KmodOracle _oracle;

    private protected DepmodSyntheticTests(KmodOracle oracle)
    {
        _oracle = oracle;
    }

    /// <summary>Against Debian 12's kmod 30.</summary>
    public sealed class Kmod30() : DepmodSyntheticTests(KmodOracle.Kmod30);

    /// <summary>Against Debian 13's kmod 34.2.</summary>
    public sealed class Kmod34() : DepmodSyntheticTests(KmodOracle.Kmod34);

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void Dependencies_Aliases_Builtins_AllElfKinds(bool is64, bool bigEndian)
    {
        AssertSameAsKmod(dir =>
        {
            var make = (string name) => new TestModuleBuilder { Is64 = is64, BigEndian = bigEndian, Machine = (ushort)(bigEndian ? 22 : 62) };
            make("a").Exports("a_fn").Needs("b_fn", "c_fn", "printk").Info("alias", "pci:v00001234d*sv*sd*bc*sc*i*")
                .Info("alias", "usb-thing").Info("softdep", "pre: c").Info("weakdep", "d").WriteTo($"{dir}/kernel/x/a.ko");
            make("b").Exports("b_fn").Needs("c_fn").Info("alias", "devname:fuse").Info("alias", "char-major-10-229").WriteTo($"{dir}/kernel/x/b.ko");
            make("c").Exports("c_fn", "shared_fn").Info("alias", "devname:lonely").WriteTo($"{dir}/kernel/y/c.ko");
            make("d-dash").Exports("shared_fn").Needs("a_fn").Info("alias", "block-major-8-*").WriteTo($"{dir}/kernel/y/d-dash.ko");
            foreach (string name in new[] { "e", "f", "g", "zz", "mod-h" })
                make(name).Exports(name + "_sym").Needs("shared_fn").WriteTo($"{dir}/kernel/z/{name}.ko");
            File.WriteAllText($"{dir}/modules.order", "kernel/y/c.ko\nkernel/x/b.ko\nkernel/x/a.ko\nkernel/x/b.ko\n");
            File.WriteAllText($"{dir}/modules.builtin", "kernel/fs/ext4/ext4.ko\nkernel/net/unix/unix.ko\n\nkernel/a-b.ko\n");
            File.WriteAllBytes($"{dir}/modules.builtin.modinfo", Encoding.ASCII.GetBytes(
                "ext4.alias=fs-ext4\0ext4.license=GPL\0unix.alias=net-pf-1\0unix.alias=dup\0ext4.alias=dup\0bad.alias=x[y\0"));
        }, inspectOurs: dir => Assert.Equal(_oracle.Profile.WritesWeakDependencies ? "# Weak dependencies extracted from modules themselves.\nweakdep a d\n" : null,
            File.Exists($"{dir}/modules.weakdep") ? File.ReadAllText($"{dir}/modules.weakdep") : null));
    }

    [Fact]
    public void MissingInputs_WarnAndLeaveEmptyIndexes()
    {
        AssertSameAsKmod(dir =>
        {
            new TestModuleBuilder().Exports("x").WriteTo($"{dir}/kernel/x.ko");
            new TestModuleBuilder().Needs("x").WriteTo($"{dir}/kernel/y.ko");
        });
    }

    [Fact]
    public void Cycles_AreReported_AndNothingIsWritten()
    {
        AssertSameAsKmod(dir =>
        {
            new TestModuleBuilder().Exports("a_fn").Needs("b_fn").WriteTo($"{dir}/kernel/a.ko");
            new TestModuleBuilder().Exports("b_fn").Needs("a_fn").WriteTo($"{dir}/kernel/b.ko");
            new TestModuleBuilder().Exports("c_fn").Needs("a_fn").WriteTo($"{dir}/kernel/c.ko");
            new TestModuleBuilder().Exports("d_fn").Needs("e_fn").WriteTo($"{dir}/kernel/d.ko");
            new TestModuleBuilder().Exports("e_fn").Needs("f_fn").WriteTo($"{dir}/kernel/e.ko");
            new TestModuleBuilder().Exports("f_fn").Needs("d_fn").WriteTo($"{dir}/kernel/f.ko");
            File.WriteAllText($"{dir}/modules.order", "kernel/c.ko\nkernel/a.ko\nkernel/b.ko\nkernel/d.ko\n");
        });
    }

    [Theory]
    [InlineData("search updates built-in\n")]
    [InlineData("search foobar foo built-in\n")]
    [InlineData("search built-in foo\n")]
    [InlineData("override mod-simple 4.4.4 override\n")]
    [InlineData("override mod-simple 5.* override\nsearch foo\n")]
    [InlineData("external 4\\.4\\..* EXT\nsearch external foobar foo built-in\n")]
    [InlineData("external 4\\.4\\..* EXT\nsearch foobar foo built-in external\n")]
    [InlineData("exclude foobar updates\n")]
    [InlineData("")]
    [InlineData("bogus line\ninclude x\nsearch\n")]
    public void DepmodD_SearchOverrideExternalExclude(string config)
    {
        AssertSameAsKmod(dir =>
        {
            foreach (string sub in new[] { "kernel/fs", "updates", "foo", "foobar", "override" })
                new TestModuleBuilder().Info("alias", "from-" + sub.Replace('/', '-')).WriteTo($"{dir}/{sub}/mod-simple.ko");
            new TestModuleBuilder().Info("alias", "from-ext").WriteTo($"{dir}/../../../ext/mod-simple.ko");
            Directory.CreateDirectory($"{dir}/../../../etc/depmod.d");
            string root = Path.GetFullPath($"{dir}/../../..");
            File.WriteAllText($"{root}/etc/depmod.d/test.conf", config.Replace("EXT", root + "/ext", StringComparison.Ordinal));
        }, root => ["-C", root + "/etc/depmod.d"]);
    }

    /// <summary>
    /// A dangling <c>x.conf</c> link in the first folder and a folder named <c>sub.conf</c> in the second: kmod 30
    /// takes the link (and fails to read it), kmod 34.2 skips it, so the second folder's <c>x.conf</c> counts.
    /// </summary>
    [Fact]
    public void DepmodD_DanglingLink_AndFolderNamedConf()
    {
        AssertSameAsKmod(dir =>
        {
            foreach (string sub in new[] { "kernel/fs", "updates", "foo" })
                new TestModuleBuilder().Info("alias", "from-" + sub.Replace('/', '-')).WriteTo($"{dir}/{sub}/mod-simple.ko");
            string root = Path.GetFullPath($"{dir}/../../..");
            Directory.CreateDirectory($"{root}/etc/first");
            File.CreateSymbolicLink($"{root}/etc/first/x.conf", $"{root}/nonexistent.conf");
            Directory.CreateDirectory($"{root}/etc/second/sub.conf");
            File.WriteAllText($"{root}/etc/second/x.conf", "search foo built-in\n");
        }, root => ["-C", root + "/etc/first", "-C", root + "/etc/second"]);
    }

    /// <summary>
    /// Files that are no modules: cut short, empty, text; each is listed without dependencies after kmod's
    /// <c>failed to load symbols from …: &lt;strerror&gt;</c>.
    /// </summary>
    [Fact]
    public void BrokenModuleFiles_AreListed_WithKmodsErrors()
    {
        AssertSameAsKmod(dir =>
        {
            new TestModuleBuilder().Exports("a_fn").WriteTo($"{dir}/kernel/a.ko");
            new TestModuleBuilder().Needs("a_fn").WriteTo($"{dir}/kernel/b.ko");
            byte[] whole = new TestModuleBuilder().Exports("c_fn").Needs("a_fn").Build();
            File.WriteAllBytes($"{dir}/kernel/cut.ko", whole[..(whole.Length / 2)]);
            File.WriteAllBytes($"{dir}/kernel/header.ko", whole[..70]);
            File.WriteAllBytes($"{dir}/kernel/empty.ko", []);
            File.WriteAllText($"{dir}/kernel/text.ko", "not a module\n");
            File.WriteAllText($"{dir}/modules.order", "kernel/a.ko\nkernel/cut.ko\nkernel/header.ko\nkernel/empty.ko\nkernel/text.ko\nkernel/b.ko\n");
        });
    }

    /// <summary>
    /// Compressed modules kmod 30 and 34.2 read differently (<see cref="BrokenCompressedModules"/>): kmod 34.2 cannot size a
    /// zstd frame from a pipe and fails cut files in the decompressor, and logs libkmod's decompression errors three times
    /// for each (before <c>failed to load symbols from …</c>, then those of its two retries); kmod 30 logs none of them.
    /// </summary>
    [Fact]
    public void BrokenCompressedModules_AreListed_WithLibkmodsErrors()
    {
        AssertSameAsKmod(dir =>
        {
            Directory.CreateDirectory($"{dir}/kernel/c");
            new TestModuleBuilder().Needs("xz_good_fn", "zst_streamed_fn", "zst_cut_fn").WriteTo($"{dir}/kernel/user.ko");
            var names = BrokenCompressedModules.Write($"{dir}/kernel/c");
            File.WriteAllText($"{dir}/modules.order", string.Concat(names.Select(n => $"kernel/c/{n[..n.IndexOf('.')]}.ko\n")) + "kernel/user.ko\n");
        });
    }

    /// <summary>Odd <c>.modinfo</c> strings: no <c>=</c>, empty values, spaces, repeated and upper-case keys.</summary>
    [Fact]
    public void OddModinfoStrings()
    {
        AssertSameAsKmod(dir =>
        {
            new TestModuleBuilder().RawInfo("alias").RawInfo("alias=").RawInfo("alias=two words").RawInfo(" alias=lead")
                .RawInfo("ALIAS=upper").RawInfo("softdep=pre: b").RawInfo("softdep=pre: b").RawInfo("softdep=")
                .RawInfo("weakdep= b").RawInfo("weakdep").RawInfo("alias=x=y").RawInfo("").RawInfo("alias=last")
                .WriteTo($"{dir}/kernel/a.ko");
            new TestModuleBuilder().RawInfo("alias=devname:").RawInfo("alias=char-major-1").RawInfo("alias=devname:x")
                .RawInfo("alias=block-major-x-1").WriteTo($"{dir}/kernel/b.ko");
        }, root => ["-w"]);
    }

    [Theory]
    [InlineData("-e", false)]
    [InlineData("-eF", true)]
    [InlineData("-eE", true)]
    [InlineData("-w", false)]
    [InlineData("-v", false)]
    public void UnresolvedSymbols_VersionMismatches_Warnings(string flag, bool withFile)
    {
        AssertSameAsKmod(dir =>
        {
            new TestModuleBuilder().Exports("a_fn", "a_fn").Needs("printk", "missing_fn", "b_fn").NeedsWeak("weak_missing").WriteTo($"{dir}/kernel/a.ko");
            new TestModuleBuilder().Exports("b_fn").Needs("printk", "__this_module").Info("alias", "dup").Info("alias", "dup").WriteTo($"{dir}/kernel/b.ko");
            string root = Path.GetFullPath($"{dir}/../../..");
            File.WriteAllText($"{root}/System.map", "ffffffff81000000 T _stext\nffffffff82000000 r __ksymtab_printk\nbadline\n");
            File.WriteAllText($"{root}/Module.symvers", "0x12345678\tprintk\tvmlinux\tEXPORT_SYMBOL\n0xzz\tother\tvmlinux\tEXPORT_SYMBOL\n");
        }, root => !withFile ? [flag] : flag == "-eF" ? ["-e", "-F", root + "/System.map"] : ["-e", "-E", root + "/Module.symvers"]);
    }

    /// <summary>
    /// kmod 34.2's module and output directories (<c>-m</c> relative and with a trailing slash, <c>-o</c>); kmod 30
    /// refuses <c>-o</c> (getopt) and takes <c>-m</c> for the ignored <c>--map</c>, its argument for the version.
    /// </summary>
    [Theory]
    [InlineData(new[] { "-m", "lib/modules/" }, null)]
    [InlineData(new[] { "--moduledir=/lib//modules" }, null)]
    [InlineData(new[] { "-o", "ROOT/out" }, "out/lib/modules/4.4.4")]
    [InlineData(new[] { "--outdir", "ROOT/out/" }, "out//lib/modules/4.4.4")]
    public void ModuleAndOutputDirectories(string[] options, string? output)
    {
        AssertSameAsKmod(dir =>
        {
            new TestModuleBuilder().Exports("a_fn").Needs("b_fn").Info("alias", "a-alias").WriteTo($"{dir}/kernel/a.ko");
            new TestModuleBuilder().Exports("b_fn").WriteTo($"{dir}/kernel/b.ko");
            File.WriteAllText($"{dir}/modules.order", "kernel/b.ko\nkernel/a.ko\n");
        }, root => [.. options.Select(o => o.Replace("ROOT", root, StringComparison.Ordinal))], outputDirectory: output);
    }

    /// <summary>
    /// kmod 30 on x86 never fires its 7-bit check: non-ASCII bytes that end up inside node prefixes are stored.
    /// kmod 34.2 stops at the first such key, after modules.dep.
    /// </summary>
    [Fact]
    public void NonAsciiAliases_InsidePrefixes_AreStoredAsKmodStoresThem()
    {
        AssertSameAsKmod(dir =>
        {
            new TestModuleBuilder().Info("alias", "caf\u00c3\u00a9").Info("alias", "plain").Info("alias", "x\u00e9x").WriteTo($"{dir}/kernel/a.ko");
            new TestModuleBuilder().Info("alias", "cab").Info("alias", "devname:d\u00fc").Info("alias", "char-major-1-2").WriteTo($"{dir}/kernel/b\u00e9.ko");
        });
    }

    [Theory]
    [InlineData("kernel/b.ko\nkernel/a.ko")]
    [InlineData("kernel/b.ko\n\nkernel/nothere.ko\nkernel/a.ko\nkernel/b.ko\n")]
    public void ModulesOrder_CorruptOrDuplicated(string order)
    {
        AssertSameAsKmod(dir =>
        {
            foreach (string name in new[] { "a", "b", "c", "d" })
                new TestModuleBuilder().Exports(name + "_fn").Needs(name == "a" ? "b_fn" : "x").WriteTo($"{dir}/kernel/{name}.ko");
            File.WriteAllText($"{dir}/modules.order", order);
        });
    }

    [Fact]
    public void ModulePathArguments_OnlyThoseModules()
    {
        AssertSameAsKmod(dir =>
        {
            new TestModuleBuilder().Exports("a_fn").Needs("b_fn").WriteTo($"{dir}/kernel/a.ko");
            new TestModuleBuilder().Exports("b_fn").WriteTo($"{dir}/kernel/b.ko");
            new TestModuleBuilder().Exports("c_fn").WriteTo($"{dir}/kernel/c.ko");
            new TestModuleBuilder().Exports("e_fn").Needs("a_fn").WriteTo($"{dir}/../../../elsewhere/e.ko");
        }, root => [], root => [$"{root}/lib/modules/{Release}/kernel/a.ko", $"{root}/lib/modules/{Release}/kernel/b.ko", $"{root}/elsewhere/e.ko"]);
    }

    [Fact]
    public void SymbolPrefix_IsStripped()
    {
        AssertSameAsKmod(dir =>
        {
            new TestModuleBuilder().Exports("_a_fn").Needs("_b_fn", ".c_fn").WriteTo($"{dir}/kernel/a.ko");
            new TestModuleBuilder().Exports("b_fn").WriteTo($"{dir}/kernel/b.ko");
            new TestModuleBuilder().Exports("_c_fn").Needs("_a_fn").WriteTo($"{dir}/kernel/c.ko");
        }, root => ["-P", "_"]);
    }

    /// <summary>
    /// Builds the tree twice, runs the oracle's depmod and ModKit's over one copy each, and compares everything: the
    /// files in the module directory, or in <paramref name="outputDirectory"/> (relative to the root) when given.
    /// </summary>
    private void AssertSameAsKmod(Action<string> build, Func<string, string[]>? options = null, Func<string, string[]>? modules = null,
        Action<string>? inspectOurs = null, string? outputDirectory = null)
    {
        string work = Directory.CreateTempSubdirectory("modkit-depmod-synthetic-").FullName;
        try
        {
            var roots = new[] { Path.Combine(work, "kmod"), Path.Combine(work, "ours") };
            foreach (string root in roots)
            {
                string dir = Path.Combine(root, "lib", "modules", Release);
                Directory.CreateDirectory(dir);
                build(dir);
            }

            string[] Args(string root) => [.. options?.Invoke(root) ?? [], "-b", root, Release, .. modules?.Invoke(root) ?? []];
            var kmod = _oracle.Run("depmod", Args(roots[0]));
            var ours = InProcessTool.Run("depmod", Args(roots[1]), profile: _oracle.Profile);

            Assert.Equal(kmod.ExitCode, ours.ExitCode);
            Assert.Equal(kmod.StderrText.Replace(roots[0], "ROOT", StringComparison.Ordinal), ours.StderrText.Replace(roots[1], "ROOT", StringComparison.Ordinal));
            Assert.Equal(kmod.StdoutText.Replace(roots[0], "ROOT", StringComparison.Ordinal), ours.StdoutText.Replace(roots[1], "ROOT", StringComparison.Ordinal));
            string kmodDir = Path.Combine(roots[0], outputDirectory ?? $"lib/modules/{Release}");
            string ourDir = Path.Combine(roots[1], outputDirectory ?? $"lib/modules/{Release}");
            Assert.Equal(Directory.Exists(kmodDir), Directory.Exists(ourDir));
            if (!Directory.Exists(kmodDir))
                return;
            // kmod 34.2 leaves its temporary file behind when it dies while writing an index (a non-ASCII key);
            // ModKit leaves none (README: deliberate differences).
            var expected = Directory.GetFiles(kmodDir).Select(Path.GetFileName).Where(n => !TemporaryFile().IsMatch(n!))
                .Order(StringComparer.Ordinal).ToList();
            var actual = Directory.GetFiles(ourDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, actual);
            foreach (string name in expected!)
            {
                string k = Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(kmodDir, name!))).Replace(roots[0], "ROOT", StringComparison.Ordinal);
                string o = Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(ourDir, name!))).Replace(roots[1], "ROOT", StringComparison.Ordinal);
                Assert.True(k == o, $"{name} differs:\nkmod:\n{k}\nours:\n{o}");
            }

            inspectOurs?.Invoke(ourDir);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>kmod's temporary file name: the file's name, the process id, microseconds and seconds.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^modules\.[a-z.]+\.[0-9]+\.[0-9]+\.[0-9]+$")]
    private static partial System.Text.RegularExpressions.Regex TemporaryFile();
}
