using System.Buffers.Binary;
using System.Text;
using ModKit.Config;
using ModKit.Depmod;
using ModKit.Elf;
using ModKit.Files;
using ModKit.Index;
using ModKit.IO;
using ModKit.Kernel;
using ModKit.Modules;
using ModKit.Signing;

namespace ModKit.Fuzz;

/// <summary>
/// One harness per parser that takes outside input, selected by name. Each runs the library's own entry points over
/// the fuzzer's bytes and swallows only the parser's documented failure (<see cref="ModuleFormatException"/> for module
/// files and indexes, <see cref="FormatException"/> for a certificate); any other exception, a hang or an allocation
/// past the GC heap's hard limit is a finding. fuzz/run.sh drives these under afl-fuzz; ModKit.Tests replays the seeds
/// and every input that ever failed through the same code.
/// </summary>
internal static class FuzzTargets
{
    /// <summary>The targets, by the name fuzz/run.sh and the regression folders use.</summary>
    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["elf-modinfo"] = ElfModinfo,
        ["elf-depmod"] = ElfDepmod,
        ["decompress"] = Decompress,
        ["signature"] = Signature,
        ["verify"] = Verify,
        ["index"] = Index,
        ["modprobe-conf"] = ModprobeConf,
        ["depmod-conf"] = DepmodConf,
        ["cmdline"] = KernelCommandLine,
        ["modname"] = ModuleNames,
    };

    /// <summary>The largest image the decompression harness accepts: its bound on memory, checked by the library.</summary>
    public const int MaxDecompressedSize = 16 << 20;

    // Made on first use: instrumented library code must not run before SharpFuzz has set up afl's trace map.
    private static ModuleDirectory? _dependencyLines;

    private static string? _scratch;

    /// <summary>Runs <paramref name="target"/> over <paramref name="data"/>.</summary>
    /// <param name="target">A name from <see cref="All"/>.</param>
    /// <param name="data">The input.</param>
    public static void Run(string target, byte[] data)
    {
        if (!All.TryGetValue(target, out var harness))
        {
            throw new ArgumentException($"unknown fuzz target '{target}' (known: {string.Join(", ", All.Keys)})", nameof(target));
        }

        harness(data);
    }

    /// <summary>
    /// modinfo's reader: <see cref="ModuleFile.Open"/> on the bytes as a plain file, <see cref="ModuleFile.GetInfo"/>
    /// (the <c>.modinfo</c> entries and the signature) with both rule sets, the parameter list (<c>modinfo -p</c>), the
    /// section table and the <c>__versions</c> CRCs. Compressed input is left to the <c>decompress</c> target: a bomb
    /// within the library's 1 GiB default would only measure the heap limit.
    /// </summary>
    private static void ElfModinfo(byte[] data)
    {
        // Shorter than the magic: ModuleFile.Open's EINVAL, tried below; compressed: not here.
        if (data.Length >= ModuleCompressionDetector.MagicLength && ModuleCompressionDetector.Detect(data) != ModuleCompression.None)
        {
            return;
        }

        string path = ScratchFile("module.ko", data);
        try
        {
            using var file = ModuleFile.Open(path);
            foreach (var rules in (ReadOnlySpan<SignatureRules>)[SignatureRules.Kmod30OpenSsl30, SignatureRules.Kmod34OpenSsl35])
            {
                var entries = file.GetInfo(rules);
                var parameters = new ModuleParameterList();
                foreach (var entry in entries)
                {
                    _ = entry.ToString();
                    parameters.TryAdd(entry);
                }

                foreach (var parameter in parameters.InPrintOrder())
                {
                    _ = parameter.ToString();
                }
            }
        }
        catch (ModuleFormatException)
        {
        }

        try
        {
            // The signature alone too: GetInfo stops at a missing .modinfo before reading it.
            using var file = ModuleFile.Open(path);
            _ = file.GetSignature(SignatureRules.Kmod34OpenSsl35);
            var elf = file.Elf;
            for (int i = 0; elf.TryGetSection(i, out var section); i++)
            {
                _ = elf.GetSectionName(section);
            }

            _ = ModuleSymbols.GetVersions(elf);
        }
        catch (ModuleFormatException)
        {
        }
    }

    /// <summary>depmod's reader: the ELF view over the image, exports, <c>.modinfo</c> and the undefined symbols, as DepmodEngine reads each module.</summary>
    private static void ElfDepmod(byte[] data)
    {
        ElfFile elf;
        try
        {
            elf = ElfFile.Open(new MemoryByteSource(data));
        }
        catch (ModuleFormatException)
        {
            return;
        }

        try
        {
            _ = ModuleSymbols.GetExports(elf);
        }
        catch (ModuleFormatException)
        {
        }

        _ = ModuleSymbols.TryGetExports(elf, out _);
        try
        {
            if (elf.TryReadSection(".modinfo", out var modinfo))
            {
                foreach (var entry in ModInfoStrings.Parse(modinfo))
                {
                    if (entry.KeyIs("alias"u8) || entry.KeyIs("softdep"u8) || entry.KeyIs("weakdep"u8))
                    {
                        _ = entry.Value;
                    }
                }
            }
        }
        catch (ModuleFormatException)
        {
        }

        try
        {
            foreach (var symbol in ModuleSymbols.GetDependencies(elf))
            {
                _ = symbol.ToString();
            }
        }
        catch (ModuleFormatException)
        {
        }

        // As depmod reads a plain file: sections as views of memory the file holds, names shared through one table.
        if (ModuleCompressionDetector.Detect(data) != ModuleCompression.None)
        {
            return;
        }

        try
        {
            using var file = ModuleFile.Open(ScratchFile("module.ko", data), sectionViews: true);
            var names = new SymbolNameTable();
            _ = ModuleSymbols.TryGetExports(file.Elf, out _, names);
            _ = ModuleSymbols.GetDependencies(file.Elf, names);
        }
        catch (ModuleFormatException)
        {
        }
    }

    /// <summary>
    /// The decompressors' wrappers: the compression recognised by its magic bytes as <see cref="ModuleFile.Open"/> does,
    /// then <see cref="ModuleDecompressor.Decompress(Microsoft.Win32.SafeHandles.SafeFileHandle, ModuleCompression, int, ZstdDecoding)"/>
    /// with zstd streamed (kmod 30) and in whole frames (kmod 34), under a 16 MiB bound the library must enforce.
    /// </summary>
    private static void Decompress(byte[] data)
    {
        string path = ScratchFile("module.ko.z", data);
        using var handle = File.OpenHandle(path);
        ModuleCompression compression;
        try
        {
            compression = ModuleCompressionDetector.Detect(handle);
        }
        catch (ModuleFormatException)
        {
            // Shorter than the magic: kmod's EINVAL.
            return;
        }

        foreach (var zstd in (ReadOnlySpan<ZstdDecoding>)[ZstdDecoding.Streaming, ZstdDecoding.WholeFrames])
        {
            try
            {
                byte[] image = ModuleDecompressor.Decompress(handle, compression, MaxDecompressedSize, zstd);
                if (image.Length > MaxDecompressedSize)
                {
                    throw new InvalidOperationException($"decompressed {image.Length} bytes past the {MaxDecompressedSize} limit");
                }
            }
            catch (ModuleFormatException)
            {
            }

            if (compression != ModuleCompression.Zstd)
            {
                break;
            }
        }

        try
        {
            using var stream = new MemoryStream(data, writable: false);
            _ = ModuleDecompressor.Decompress(stream, compression, MaxDecompressedSize);
        }
        catch (ModuleFormatException)
        {
        }
    }

    /// <summary>The appended PKCS#7 signature as modinfo decodes it: <see cref="ModuleSignature.TryRead(ReadOnlySpan{byte}, out ModuleSignature?, SignatureRules)"/> with both rule sets.</summary>
    private static void Signature(byte[] data)
    {
        foreach (var rules in (ReadOnlySpan<SignatureRules>)[SignatureRules.Kmod30OpenSsl30, SignatureRules.Kmod34OpenSsl35])
        {
            if (ModuleSignature.TryRead(data, out var signature, rules))
            {
                _ = HexFormat.Format(signature.KeyId.Span);
                _ = HexFormat.Format(signature.Signature.Span);
                _ = signature.Signer.Length + signature.IdType.Length + signature.HashAlgorithm.Length;
            }
        }
    }

    /// <summary>
    /// The kernel's check (<see cref="ModuleSignatureVerifier.Verify"/>): the input is a 2-byte big-endian length, that
    /// many bytes of certificates (DER or PEM, <see cref="SigningCertificate.Parse"/>), then the signed module image.
    /// </summary>
    private static void Verify(byte[] data)
    {
        if (data.Length < 2)
        {
            return;
        }

        int length = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(data), data.Length - 2);
        IReadOnlyList<SigningCertificate> certificates;
        try
        {
            certificates = SigningCertificate.Parse(data.AsSpan(2, length));
        }
        catch (FormatException)
        {
            certificates = [];
        }

        var result = ModuleSignatureVerifier.Verify(data.AsSpan(2 + length), certificates);
        _ = result.Status;
        _ = result.Signer?.Subject;
    }

    /// <summary>
    /// A <c>modules.*.bin</c> index: every entry enumerated in both tie orders, the kmod dump, then exact lookups and
    /// wildcard searches for keys taken from the entries, their prefixes and patterns, as modprobe and modinfo search.
    /// </summary>
    private static void Index(byte[] data)
    {
        IndexFile index;
        try
        {
            index = IndexFile.FromBytes(data);
        }
        catch (ModuleFormatException)
        {
            return;
        }

        using (index)
        {
            var keys = new List<string> { string.Empty, "snd", "pci:v00008086d00001234sv*", "usb:v1D6Bp0002d0606dc09dsc00dp01ic09isc00ip00in00", "*", "a*b?c[d-f]" };
            foreach (var order in (ReadOnlySpan<IndexTieOrder>)[IndexTieOrder.Mmap, IndexTieOrder.Stdio])
            {
                try
                {
                    foreach (var entry in index.Enumerate(order))
                    {
                        if (keys.Count < 24)
                        {
                            string key = entry.Key;
                            keys.Add(key);
                            keys.Add(key[..(key.Length / 2)]);
                            keys.Add(key + "x");
                        }
                    }
                }
                catch (ModuleFormatException)
                {
                }

                try
                {
                    index.Dump(Stream.Null, "alias ", order);
                }
                catch (ModuleFormatException)
                {
                }
            }

            foreach (string key in keys)
            {
                foreach (var order in (ReadOnlySpan<IndexTieOrder>)[IndexTieOrder.Mmap, IndexTieOrder.Stdio])
                {
                    try
                    {
                        // A modules.dep.bin value is split into the module's path and its dependencies.
                        if (index.Lookup(key, order) is string line)
                        {
                            _ = (_dependencyLines ??= new ModuleDirectory("/lib/modules/0.0.0-fuzz")).TrySplitDependencyLine(line, out _, out _);
                        }
                    }
                    catch (ModuleFormatException)
                    {
                    }

                    try
                    {
                        foreach (var value in index.LookupWildcard(key, order))
                        {
                            _ = value.ToString();
                        }
                    }
                    catch (ModuleFormatException)
                    {
                    }
                }
            }
        }
    }

    /// <summary>modprobe.d lines: the parser with each profile's options (weakdep, a backslash before the end), then the <c>modprobe -c</c> formatter.</summary>
    private static void ModprobeConf(byte[] data)
    {
        foreach (bool kmod34 in (ReadOnlySpan<bool>)[false, true])
        {
            var config = new ModprobeConfig();
            var diagnostics = new List<ConfigDiagnostic>();
            new ModprobeConfigParser(config, parseWeakDependencies: kmod34, keepEndOfFileAfterBackslash: kmod34, diagnostics.Add)
                .ParseFile(data, "fuzz.conf");
            foreach (var diagnostic in diagnostics)
            {
                _ = diagnostic.Text;
            }

            ModprobeConfigFormatter.Write(config, TextWriter.Null);
        }
    }

    /// <summary>depmod.d lines: <see cref="DepmodConfiguration.Parse"/> on the bytes as a file, for a fixed kernel release.</summary>
    private static void DepmodConf(byte[] data)
    {
        string path = ScratchFile("depmod.conf", data);
        var messages = new List<string>();
        var configuration = new DepmodConfiguration();
        configuration.Parse(path, "6.1.0-57-amd64", (_, message) => messages.Add(message));
    }

    /// <summary>The kernel command line (<c>/proc/cmdline</c>): module options and blacklists, then the <c>modprobe -c</c> formatter.</summary>
    private static void KernelCommandLine(byte[] data)
    {
        var config = new ModprobeConfig();
        var diagnostics = new List<ConfigDiagnostic>();
        KernelCommandLineParser.Parse(data, config, diagnostics.Add);
        ModprobeConfigFormatter.Write(config, TextWriter.Null);
    }

    /// <summary>
    /// Module names and parameters: each NUL-separated field (as UTF-8) through name normalisation, alias
    /// normalisation, the name from a path; all of them as insmod's parameter arguments (<see cref="ModuleLoader.JoinParameters"/>);
    /// and the bytes as <c>.modinfo</c> strings into a <see cref="ModuleParameterList"/>.
    /// </summary>
    private static void ModuleNames(byte[] data)
    {
        string text = Encoding.UTF8.GetString(data);
        string[] fields = text.Split('\0');
        foreach (string field in fields)
        {
            _ = ModuleName.Normalize(field);
            _ = ModuleName.TryNormalizeAlias(field, out _);
            _ = ModuleName.FromPath(field);
            _ = ModuleName.BaseName(field);
        }

        _ = ModuleLoader.JoinParameters(fields);

        var parameters = new ModuleParameterList();
        foreach (var entry in ModInfoStrings.Parse(data))
        {
            if (ModuleParameterList.IsParameterEntry(entry))
            {
                parameters.TryAdd(entry);
            }
        }

        foreach (var parameter in parameters.InPrintOrder())
        {
            _ = parameter.ToString();
        }
    }

    /// <summary>Deletes this process's scratch folder, if one was made.</summary>
    public static void DeleteScratch()
    {
        if (_scratch is not null && Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true);
        }

        _scratch = null;
    }

    /// <summary>Writes <paramref name="data"/> to a file in this process's scratch folder (tmpfs when there is one).</summary>
    private static string ScratchFile(string name, byte[] data)
    {
        if (_scratch is null)
        {
            string root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
            _scratch = Path.Combine(root, $"modkit-fuzz-{Environment.ProcessId}");
            Directory.CreateDirectory(_scratch);
        }

        string path = Path.Combine(_scratch, name);
        File.WriteAllBytes(path, data);
        return path;
    }
}
