using Microsoft.Win32.SafeHandles;
using ModKit.Elf;
using ModKit.Files;
using ModKit.IO;
using ModKit.Signing;

namespace ModKit.Modules;

/// <summary>
/// An opened module file (<c>.ko</c>, <c>.ko.gz</c>, <c>.ko.xz</c>, <c>.ko.zst</c>): its compression is
/// recognised by magic bytes; a plain file is read in place with positional reads, a compressed one is
/// decompressed into memory once. The ELF view, <c>.modinfo</c>, symbols and signature are read on demand.
/// </summary>
public sealed class ModuleFile : IDisposable
{
    private readonly ByteSource _source;
    private ElfFile? _elf;

    private ModuleFile(string path, ModuleCompression compression, ByteSource source)
    {
        Path = path;
        Name = ModuleName.FromPath(path) ?? string.Empty;
        Compression = compression;
        _source = source;
    }

    /// <summary>The path the file was opened from.</summary>
    public string Path { get; }

    /// <summary>The module name derived from the file name (<c>path_to_modname</c>).</summary>
    public string Name { get; }

    /// <summary>How the file is compressed.</summary>
    public ModuleCompression Compression { get; }

    /// <summary>The (decompressed) module image, valid until this file is disposed.</summary>
    public ByteSource Image => _source;

    /// <summary>The ELF view of the image, opened on first use.</summary>
    /// <exception cref="ModuleFormatException">The image is not a valid ELF file.</exception>
    public ElfFile Elf => _elf ??= ElfFile.Open(_source);

    /// <summary>Opens a module file.</summary>
    /// <param name="path">The file's path.</param>
    /// <returns>The opened file.</returns>
    /// <exception cref="ModuleFormatException">
    /// The file cannot be opened or read (its <see cref="ModuleFormatException.ErrorNumber"/> is the
    /// errno kmod reports, e.g. <see cref="Errno.ENOENT"/>), is shorter than 6 bytes, or its compressed
    /// data is corrupt.
    /// </exception>
    /// <param name="zstd">How zstd data is decoded (kmod 30's streaming by default).</param>
    /// <param name="sectionViews">
    /// Whether the sections of a plain file, asked for as memory (<see cref="ElfFile.TryGetSectionMemory"/>), are read
    /// into memory the file keeps until it is disposed and handed out as views rather than as new arrays (depmod,
    /// which reads the symbol tables of a whole tree). A compressed file's sections are always views of its image.
    /// </param>
    public static ModuleFile Open(string path, ZstdDecoding zstd = ZstdDecoding.Streaming, bool sectionViews = false)
    {
        SafeFileHandle handle = OpenHandle(path);
        try
        {
            long length = RandomAccess.GetLength(handle);
            var compression = ModuleCompressionDetector.Detect(handle);
            if (compression == ModuleCompression.None)
            {
                return new ModuleFile(path, compression, sectionViews ? new SectionArenaByteSource(handle, length) : new FileByteSource(handle, length));
            }

            // The image lives in a buffer outside the GC heap until the file is disposed (ImageBufferCache):
            // reading a whole tree then holds only the images in flight.
            var image = ModuleDecompressor.DecompressPooled(handle, compression, zstd);
            handle.Dispose();
            return new ModuleFile(path, compression, new MemoryByteSource(image.Memory, image.Release));
        }
        catch (IOException e) when (e is not ModuleFormatException)
        {
            handle.Dispose();
            throw new ModuleFormatException(e.Message, Errno.EIO);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// What libkmod (kmod 34) logs when it loads a compressed module file again after its load failed with
    /// <paramref name="failure"/>: kmod keeps the file open, and each later query that needs the contents (depmod asks
    /// for the symbols, then the <c>.modinfo</c>, then the dependency symbols) loads it anew. zstd maps the whole file each
    /// time, so its message repeats; xz reads on from where the failed load left the descriptor (at the end of a small
    /// file: <c>xz: Unexpected end of input</c>); zlib's reader logs nothing then.
    /// </summary>
    /// <param name="path">The module file.</param>
    /// <param name="failure">The first load's failure, from <see cref="Open"/>.</param>
    /// <param name="retries">How many loads follow.</param>
    /// <param name="zstd">How zstd data is decoded.</param>
    /// <returns>The messages, in order; none when <paramref name="failure"/> is no libkmod message (<see cref="ModuleFormatException.LibkmodFunction"/>).</returns>
    public static List<string> GetRetryMessages(string path, ModuleFormatException failure, int retries, ZstdDecoding zstd = ZstdDecoding.WholeFrames)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var messages = new List<string>();
        var last = failure;
        for (int i = 0; i < retries && last.LibkmodFunction is not null; i++)
        {
            if (last.Retry == LibkmodRetry.Silent)
            {
                break;
            }

            if (last.Retry == LibkmodRetry.Repeats)
            {
                messages.Add(last.Message);
                continue;
            }

            try
            {
                using SafeFileHandle handle = OpenHandle(path);
                ModuleDecompressor.DecompressPooled(handle, ModuleCompressionDetector.Detect(handle), zstd, last.RetryOffset).Release();

                // Decoded after all: libkmod keeps what it got and loads no more.
                break;
            }
            catch (ModuleFormatException e) when (e.LibkmodFunction is not null)
            {
                messages.Add(e.Message);
                last = e;
            }
            catch (IOException)
            {
                break;
            }
        }

        return messages;
    }

    /// <summary>Reads the <c>.modinfo</c> entries in file order.</summary>
    /// <returns>The entries.</returns>
    /// <exception cref="ModuleFormatException">
    /// The image is not valid ELF, or has no <c>.modinfo</c> section (<see cref="Errno.ENOENT"/>).
    /// </exception>
    public List<ModInfoEntry> GetModInfo()
    {
        if (!Elf.TryReadSection(".modinfo", out var data))
        {
            throw new ModuleFormatException("no .modinfo section", Errno.ENOENT) { MissingSection = true };
        }

        return ModInfoStrings.Parse(data);
    }

    /// <summary>
    /// Reads the signature appended to the image, if there is a valid one; kmod silently ignores a
    /// malformed trailer.
    /// </summary>
    /// <param name="signatureRules">How a PKCS#7 digest is named (kmod 30's table by default).</param>
    /// <returns>The signature, or <see langword="null"/>.</returns>
    public ModuleSignature? GetSignature(SignatureRules signatureRules = SignatureRules.Kmod30OpenSsl30)
    {
        long length = _source.Length;
        if (length < ModuleSignature.FixedTrailerLength)
        {
            return null;
        }

        Span<byte> last = stackalloc byte[ModuleSignature.FixedTrailerLength];
        _source.ReadExactly(length - last.Length, last);
        if (!ModuleSignature.TryGetTailLength(last, length, out int tailLength))
        {
            return null;
        }

        byte[] tail = _source.Read(length - tailLength, tailLength);
        return ModuleSignature.TryDecode(tail, length, out var signature, signatureRules) ? signature : null;
    }

    /// <summary>
    /// Checks the module's signature against <paramref name="certificates"/> as the kernel would when loading it
    /// (<see cref="ModuleSignatureVerifier.Verify(ReadOnlySpan{byte}, IReadOnlyList{SigningCertificate})"/>), over the
    /// image this file already holds: a compressed module is not decompressed again.
    /// </summary>
    /// <param name="certificates">The trusted certificates (the kernel's keyring).</param>
    /// <returns>The outcome; never throws for malformed module data.</returns>
    /// <exception cref="ModuleFormatException">A plain file cannot be read.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The platform's cryptography is not available.</exception>
    public SignatureVerification VerifySignature(IReadOnlyList<SigningCertificate> certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        return ModuleSignatureVerifier.Verify(_source.GetMemory(0, _source.Length).Span, certificates);
    }

    /// <summary>
    /// What modinfo lists for the module (<c>kmod_module_get_info</c>): the <c>.modinfo</c> entries,
    /// then, for a signed module, <c>sig_id</c>, <c>signer</c>, <c>sig_key</c>, <c>sig_hashalgo</c> and
    /// <c>signature</c> (hex as kmod formats it).
    /// </summary>
    /// <param name="signatureRules">How a PKCS#7 digest is named (kmod 30's table by default).</param>
    /// <returns>The entries.</returns>
    /// <exception cref="ModuleFormatException">As for <see cref="GetModInfo"/>.</exception>
    public List<ModInfoEntry> GetInfo(SignatureRules signatureRules = SignatureRules.Kmod30OpenSsl30)
    {
        var entries = GetModInfo();
        var signature = GetSignature(signatureRules);
        if (signature is not null)
        {
            entries.Add(new ModInfoEntry("sig_id", signature.IdType));
            entries.Add(new ModInfoEntry("signer"u8.ToArray(), signature.Signer));
            entries.Add(new ModInfoEntry("sig_key", HexFormat.Format(signature.KeyId.Span)));
            entries.Add(new ModInfoEntry("sig_hashalgo", signature.HashAlgorithm));
            entries.Add(new ModInfoEntry("signature", HexFormat.Format(signature.Signature.Span)));
        }

        return entries;
    }

    /// <summary>Opens <paramref name="path"/> and reads what modinfo lists, reporting failures as kmod's error numbers.</summary>
    /// <param name="path">The module file's path; <see langword="null"/> reports <see cref="Errno.ENOENT"/>.</param>
    /// <param name="entries">The entries.</param>
    /// <returns>0, or the error number kmod reports.</returns>
    public static int TryGetInfo(string? path, out List<ModInfoEntry> entries) => TryGetInfo(path, out entries, out _);

    /// <summary>Opens <paramref name="path"/> and reads what modinfo lists, reporting failures as kmod's error numbers.</summary>
    /// <param name="path">The module file's path; <see langword="null"/> reports <see cref="Errno.ENOENT"/>.</param>
    /// <param name="entries">The entries.</param>
    /// <param name="failure">What was wrong with the file, when that was the failure; otherwise <see langword="null"/>.</param>
    /// <param name="signatureRules">How a PKCS#7 signature is read (kmod 30's rules by default).</param>
    /// <param name="zstd">How zstd data is decoded (kmod 30's streaming by default).</param>
    /// <returns>0, or the error number kmod 30 reports.</returns>
    public static int TryGetInfo(string? path, out List<ModInfoEntry> entries, out ModuleFormatException? failure,
        SignatureRules signatureRules = SignatureRules.Kmod30OpenSsl30, ZstdDecoding zstd = ZstdDecoding.Streaming)
    {
        entries = [];
        failure = null;
        if (path is null)
        {
            return Errno.ENOENT;
        }

        try
        {
            using var file = Open(path, zstd);
            entries = file.GetInfo(signatureRules);
            return 0;
        }
        catch (ModuleFormatException e)
        {
            failure = e;
            return e.ErrorNumber;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _source.Dispose();

    private static SafeFileHandle OpenHandle(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // .NET refuses to open a directory; open(2) allows it and the first read fails with EISDIR.
            int errno = e is UnauthorizedAccessException && Directory.Exists(path) ? Errno.EISDIR : Errno.FromException(e);
            throw new ModuleFormatException(e.Message, errno);
        }
    }
}
