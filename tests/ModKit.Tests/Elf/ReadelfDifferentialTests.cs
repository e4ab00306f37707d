using System.Globalization;
using System.Text.RegularExpressions;
using ModKit.Elf;
using ModKit.IO;
using ModKit.Tests.Support;

namespace ModKit.Tests.Elf;

/// <summary>
/// Cross-checks against a real toolchain: objects compiled by <c>cc -c</c> (host 64-bit and <c>-m32</c>) are read
/// by <see cref="ElfFile"/> and <see cref="ModuleSymbols"/> and compared with binutils' <c>readelf</c>; and the
/// test builder's own output, in all four classes and byte orders, must read the same in <c>readelf</c>.
/// A missing <c>cc</c> or <c>readelf</c> fails these tests.
/// </summary>
public sealed partial class ReadelfDifferentialTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("modkit-elf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // A module-shaped object: .modinfo strings, __versions records as the kernel declares them (unsigned long
    // CRC, so 4 bytes with -m32 and 8 without), a CRC stored in __kcrctab as kernels >= 5.19 do, and
    // undefined symbols, one weak.
    private const string ModuleSource = """
        struct modversion_info { unsigned long crc; char name[64 - sizeof(unsigned long)]; };

        __attribute__((section("__versions"), used, aligned(32)))
        static const struct modversion_info versions[] = {
            { 0x11111111, "module_layout" },
            { 0x22222222, "printk_like" },
            { 0x33333333, ".dotted" },
        };

        __attribute__((section(".modinfo"), used))
        static const char modinfo[] = "license=GPL\0author=ModKit tests\0description=x=y";

        __attribute__((section("__kcrctab"), used)) const unsigned int __crc_exported_fn = 0xdeadbeef;
        __attribute__((section("__kcrctab"), used)) const unsigned int __crc_second_fn = 0x0badcafe;

        extern int printk_like(const char *, ...);
        extern int weak_dep(void) __attribute__((weak));

        int exported_fn(void) { return printk_like("hi") + (weak_dep ? weak_dep() : 0); }
        int second_fn(void) { return 2; }
        """;

    [Theory]
    [InlineData("host", ElfClass.Elf64, SyntheticElf.EmX86_64)]
    [InlineData("-m32", ElfClass.Elf32, SyntheticElf.EmI386)]
    public void Compiled_object_reads_like_readelf(string mode, ElfClass elfClass, ushort machine)
    {
        string source = Path.Combine(_dir, "mod.c");
        string obj = Path.Combine(_dir, "mod.o");
        File.WriteAllText(source, ModuleSource);
        string[] flags = mode == "host" ? [] : [mode];
        var cc = ProcessRunner.Run(ProcessRunner.Require("cc"), [.. flags, "-O1", "-c", source, "-o", obj]);
        Assert.True(cc.ExitCode == 0, $"cc {mode} failed (for -m32 install gcc-multilib): {cc.StderrText}");

        using var bytes = new MemoryByteSource(File.ReadAllBytes(obj));
        var elf = ElfFile.Open(bytes);
        Assert.Equal(elfClass, elf.Class);
        Assert.Equal(ElfByteOrder.LittleEndian, elf.ByteOrder);
        Assert.Equal(machine, elf.Machine);
        CompareSections(elf, obj);

        Assert.True(elf.TryReadSection(".modinfo", out byte[] modinfo));
        Assert.Equal(["license=GPL", "author=ModKit tests", "description=x=y"], ModInfoStrings.Parse(modinfo).Select(e => e.ToString()));

        Assert.Equal(
        [
            new ModuleSymbol("module_layout", 0x11111111, SymbolBinding.Undefined),
            new ModuleSymbol("printk_like", 0x22222222, SymbolBinding.Undefined),
            new ModuleSymbol("dotted", 0x33333333, SymbolBinding.Undefined),
        ], ModuleSymbols.GetVersions(elf));

        var exports = ModuleSymbols.GetExports(elf);
        Assert.Equal(
            [new ModuleSymbol("exported_fn", 0xdeadbeef, SymbolBinding.Global), new ModuleSymbol("second_fn", 0x0badcafe, SymbolBinding.Global)],
            exports.OrderBy(s => s.Name, StringComparer.Ordinal));

        // Needed symbols: readelf's UND entries with names, in table order, then the unmatched records.
        var undefined = ReadelfSymbols(obj).Where(s => s.Ndx == "UND" && s.Name.Length > 0).ToList();
        Assert.Contains(undefined, s => s.Name == "printk_like");
        Assert.Contains(undefined, s => s.Name == "weak_dep" && s.Bind == "WEAK");
        var expected = undefined.Select(s => new ModuleSymbol(
            s.Name,
            s.Name == "printk_like" ? 0x22222222UL : 0,
            s.Bind == "WEAK" ? SymbolBinding.Weak : SymbolBinding.Undefined)).ToList();
        expected.Add(new ModuleSymbol("module_layout", 0x11111111, SymbolBinding.Undefined));
        expected.Add(new ModuleSymbol(".dotted", 0x33333333, SymbolBinding.Undefined));
        Assert.Equal(expected, ModuleSymbols.GetDependencies(elf));
    }

    [Theory]
    [AllElfFormats]
    public void Synthetic_files_read_like_readelf(ElfClass elfClass, ElfByteOrder order)
    {
        // Checks the test builder against binutils, so the unit tests do not share a misreading with the reader.
        var builder = new SyntheticElf(elfClass, order, SyntheticElf.EmSparcV9);
        int text = builder.AddSection(".text", [1, 2, 3], flags: 0x6);
        builder.AddSection(".modinfo", SyntheticElf.Strings("license=GPL"));
        builder.AddSection("__versions", builder.VersionRecord(1, "module_layout"));
        builder.AddSection(".bss", new byte[32], SyntheticElf.ShtNoBits, 0x3);
        builder.AddSymbol("init_module", 0x10, SyntheticElf.Info(SyntheticElf.StbGlobal, SyntheticElf.SttFunc), (ushort)text);
        builder.AddSymbol("printk", 0, SyntheticElf.Info(SyntheticElf.StbWeak, SyntheticElf.SttNoType), SyntheticElf.ShnUndef);
        builder.AddSymbol("__crc_init_module", 0x12345678, SyntheticElf.Info(SyntheticElf.StbGlobal, SyntheticElf.SttNoType), SyntheticElf.ShnAbs);
        string path = Path.Combine(_dir, "synthetic.o");
        File.WriteAllBytes(path, builder.Build());

        var readelf = ProcessRunner.Run(ProcessRunner.Require("readelf"), ["-h", "-W", path]);
        Assert.True(readelf.ExitCode == 0, readelf.StderrText);
        string header = readelf.StdoutText;
        Assert.Contains(elfClass == ElfClass.Elf32 ? "ELF32" : "ELF64", header);
        Assert.Contains(order == ElfByteOrder.LittleEndian ? "little endian" : "big endian", header);
        Assert.Contains("Sparc v9", header);

        using var bytes = new MemoryByteSource(File.ReadAllBytes(path));
        var elf = ElfFile.Open(bytes);
        CompareSections(elf, path);

        var symbols = ReadelfSymbols(path);
        Assert.Equal(["init_module", "printk", "__crc_init_module"], symbols.Select(s => s.Name));
        Assert.Equal(["GLOBAL", "WEAK", "GLOBAL"], symbols.Select(s => s.Bind));
        Assert.Equal([text.ToString(CultureInfo.InvariantCulture), "UND", "ABS"], symbols.Select(s => s.Ndx));
        Assert.Equal([0x10UL, 0UL, 0x12345678UL], symbols.Select(s => s.Value));
    }

    private static void CompareSections(ElfFile elf, string path)
    {
        var readelf = ProcessRunner.Run(ProcessRunner.Require("readelf"), ["-S", "-W", path]);
        Assert.True(readelf.ExitCode == 0, readelf.StderrText);
        string stdout = readelf.StdoutText;
        var sections = SectionLine().Matches(stdout)
            .Select(m => (Index: int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Name: m.Groups[2].Value,
                Offset: long.Parse(m.Groups[3].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                Size: long.Parse(m.Groups[4].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal(elf.SectionCount, sections.Count);
        Assert.True(sections.Count > 5, stdout);
        long length = elf.Source.Length;
        foreach (var expected in sections.Where(s => s.Index > 0))
        {
            Assert.True(expected.Offset + expected.Size <= length, $"{expected.Name} lies outside the file");
            Assert.True(elf.TryGetSection(expected.Index, out var section), expected.Name);
            Assert.Equal((expected.Name, expected.Offset, expected.Size), (elf.GetSectionName(section), section.Offset, section.Size));

            // Lookup by name finds the first section so called.
            int first = sections.First(s => s.Name == expected.Name && s.Index > 0).Index;
            Assert.True(elf.TryFindSection(expected.Name, out var found));
            Assert.Equal(first, found.Index);
        }
    }

    private sealed record ReadelfSymbol(ulong Value, string Bind, string Ndx, string Name);

    /// <summary><c>readelf -s -W</c> entries of <c>.symtab</c> after the null symbol, in table order.</summary>
    private static List<ReadelfSymbol> ReadelfSymbols(string path)
    {
        var readelf = ProcessRunner.Run(ProcessRunner.Require("readelf"), ["-s", "-W", path]);
        Assert.True(readelf.ExitCode == 0, readelf.StderrText);
        return [.. SymbolLine().Matches(readelf.StdoutText)
            .Where(m => m.Groups[1].Value != "0")
            .Select(m => new ReadelfSymbol(ulong.Parse(m.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                m.Groups[3].Value, m.Groups[4].Value, m.Groups[5].Value))];
    }

    // "  [ 1] .text   PROGBITS   0000000000000000 000040 000013 00  AX  0   0  1"
    [GeneratedRegex(@"^\s*\[\s*(\d+)\]\s(?:\s*)(\S*)\s+\S+\s+[0-9a-f]+\s+([0-9a-f]+)\s+([0-9a-f]+)\s", RegexOptions.Multiline)]
    private static partial Regex SectionLine();

    // "     5: 0000000000000000     0 NOTYPE  GLOBAL DEFAULT  UND printk_like"
    [GeneratedRegex(@"^\s*(\d+):\s+([0-9a-f]+)\s+\S+\s+\S+\s+(\S+)\s+\S+\s+(\S+) ?(\S*)\s*$", RegexOptions.Multiline)]
    private static partial Regex SymbolLine();
}
