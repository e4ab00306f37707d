using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;
using ModKit.Elf;
using ModKit.Files;
using ModKit.IO;

namespace ModKit.Kernel;

/// <summary>
/// A kernel simulated in files under a root folder, for running the tools in-process in tests, like
/// kmod's testsuite (<c>testsuite/init_module.c</c>, <c>delete_module.c</c>): a successful load creates
/// <c>sys/module/&lt;name&gt;/</c> (<c>initstate</c> <c>live</c>, <c>refcnt</c> 0, <c>coresize</c>, <c>holders/</c>,
/// <c>parameters/</c>) and a <c>proc/modules</c> line; an unload removes them. Answers can be scripted per
/// module, and every call is recorded in <see cref="Calls"/>.
/// </summary>
/// <remarks>
/// Like the kernel: a name already live gives <see cref="Errno.EEXIST"/>; an image that is not ELF or has
/// no <c>.gnu.linkonce.this_module</c> gives <see cref="Errno.ENOEXEC"/>; <see cref="ModuleLoadFlags.CompressedFile"/>
/// works only when <see cref="Compression"/> names the file's algorithm (else <see cref="Errno.EINVAL"/>, or
/// <see cref="Errno.EOPNOTSUPP"/> with no kernel decompression); removing a module with holders or a
/// non-zero reference count without <see cref="ModuleUnloadFlags.Force"/> gives <see cref="Errno.EAGAIN"/>.
/// </remarks>
public sealed class FakeKernel : IKernel
{
    private const string Address = "0x0000000000000000";

    private readonly KernelFiles _files;
    private readonly Dictionary<string, int> _loadErrors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _unloadErrors = new(StringComparer.Ordinal);
    private readonly List<FakeKernelCall> _calls = [];

    /// <summary>Creates a fake kernel over <paramref name="root"/> (the folder holding <c>proc/</c> and <c>sys/</c>; created on first write).</summary>
    /// <param name="root">The root folder.</param>
    /// <param name="release">What <see cref="Release"/> answers.</param>
    public FakeKernel(string root, string release = "0.0.0-fake")
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _files = new KernelFiles(root);
        Release = release;
    }

    /// <summary>The root folder.</summary>
    public string Root => _files.Root;

    /// <inheritdoc/>
    public string Release { get; }

    /// <inheritdoc/>
    /// <remarks>Read from <c>sys/module/compression</c> under the root; set it with <see cref="SetCompression"/>.</remarks>
    public ModuleCompression Compression => _files.ReadCompression();

    /// <summary>Whether <c>finit_module</c> exists; <see langword="false"/> answers <see cref="Errno.ENOSYS"/>, as kernels before 3.8 do.</summary>
    public bool SupportsFinitModule { get; set; } = true;

    /// <summary>
    /// Makes the kernel's decompressor fail (<see cref="Errno.EINVAL"/>) on every compressed file, as Linux does
    /// on xz files with CRC64 checks or dictionaries over 1 MiB.
    /// </summary>
    public bool RejectsCompressedFiles { get; set; }

    /// <summary>
    /// The version magic modules must carry; <see langword="null"/> (the default) checks nothing. A module whose
    /// <c>vermagic=</c> differs is refused with <see cref="Errno.ENOEXEC"/> unless loaded with
    /// <see cref="ModuleLoadFlags.IgnoreVermagic"/> or its vermagic was stripped.
    /// </summary>
    public string? VerMagic { get; set; }

    /// <summary>The system calls received so far, in order.</summary>
    public IReadOnlyList<FakeKernelCall> Calls => _calls;

    /// <summary>Makes every load of module <paramref name="name"/> fail with <paramref name="errno"/>.</summary>
    /// <param name="name">The module name.</param>
    /// <param name="errno">A positive error number.</param>
    public void FailLoad(string name, int errno) => _loadErrors[name] = errno;

    /// <summary>Makes every removal of module <paramref name="name"/> fail with <paramref name="errno"/>.</summary>
    /// <param name="name">The module name.</param>
    /// <param name="errno">A positive error number.</param>
    public void FailUnload(string name, int errno) => _unloadErrors[name] = errno;

    /// <summary>Writes (or, for <see cref="ModuleCompression.None"/>, removes) <c>sys/module/compression</c>.</summary>
    /// <param name="compression">The algorithm the kernel decompresses.</param>
    public void SetCompression(ModuleCompression compression)
    {
        string path = _files.Path("/sys/module/compression");
        if (compression == ModuleCompression.None)
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }

            return;
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, compression switch
        {
            ModuleCompression.Gzip => "gzip\n",
            ModuleCompression.Xz => "xz\n",
            _ => "zstd\n",
        });
    }

    /// <summary>Writes <c>proc/cmdline</c>.</summary>
    /// <param name="commandLine">The kernel command line.</param>
    public void SetCommandLine(string commandLine)
    {
        string path = _files.Path("/proc/cmdline");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, commandLine + "\n");
    }

    /// <summary>Makes a module look loaded, as a fixture: its sysfs directory and its <c>proc/modules</c> line.</summary>
    /// <param name="name">The module name.</param>
    /// <param name="size">Its size (<c>coresize</c>).</param>
    /// <param name="refCount">Its reference count; raised to the number of holders if lower.</param>
    /// <param name="holders">The modules that use it.</param>
    public void AddLoadedModule(string name, long size = 16384, int refCount = 0, IEnumerable<string>? holders = null)
    {
        var holderList = holders?.ToList() ?? [];
        CreateModule(name, size, Math.Max(refCount, holderList.Count), holderList, new Dictionary<string, string>());
    }

    /// <inheritdoc/>
    public KernelResult<string> ReadCommandLine() => _files.ReadCommandLine();

    /// <inheritdoc/>
    public KernelResult LoadModule(SafeFileHandle file, string parameters, ModuleLoadFlags flags)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(parameters);
        byte[] bytes = new byte[RandomAccess.GetLength(file)];
        RandomAccess.Read(file, bytes, 0);
        if (!SupportsFinitModule)
        {
            return Record("finit_module", string.Empty, parameters, (int)flags, bytes, Errno.ENOSYS);
        }

        if ((int)flags is < 0 or > 7)
        {
            return Record("finit_module", string.Empty, parameters, (int)flags, bytes, Errno.EINVAL);
        }

        byte[] image = bytes;
        if (flags.HasFlag(ModuleLoadFlags.CompressedFile))
        {
            // kernel/module/decompress.c: each decompressor checks its magic and fails with EINVAL.
            var kernelCompression = Compression;
            if (kernelCompression == ModuleCompression.None)
            {
                return Record("finit_module", string.Empty, parameters, (int)flags, bytes, Errno.EOPNOTSUPP);
            }

            if (RejectsCompressedFiles || ModuleCompressionDetector.Detect(bytes) != kernelCompression)
            {
                return Record("finit_module", string.Empty, parameters, (int)flags, bytes, Errno.EINVAL);
            }

            try
            {
                image = ModuleDecompressor.Decompress(new MemoryStream(bytes), kernelCompression);
            }
            catch (ModuleFormatException)
            {
                return Record("finit_module", string.Empty, parameters, (int)flags, bytes, Errno.EINVAL);
            }
        }

        return Insert("finit_module", bytes, image, parameters, flags);
    }

    /// <inheritdoc/>
    public KernelResult LoadModule(ReadOnlySpan<byte> image, string parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        byte[] bytes = image.ToArray();
        return Insert("init_module", bytes, bytes, parameters, ModuleLoadFlags.None);
    }

    /// <inheritdoc/>
    public KernelResult UnloadModule(string name, ModuleUnloadFlags flags)
    {
        ArgumentNullException.ThrowIfNull(name);
        int errno = Unload(name, flags);
        return Record("delete_module", name, string.Empty, (int)flags, [], errno);
    }

    /// <inheritdoc/>
    public KernelResult<IReadOnlyList<LoadedModule>> ReadLoadedModules() => _files.ReadLoadedModules();

    /// <inheritdoc/>
    public KernelResult<ModuleInitState> ReadInitState(string name) => _files.ReadInitState(name);

    /// <inheritdoc/>
    public KernelResult<int> ReadRefCount(string name) => _files.ReadRefCount(name);

    /// <inheritdoc/>
    public KernelResult<long> ReadSize(string name) => _files.ReadSize(name);

    /// <inheritdoc/>
    public KernelResult<IReadOnlyList<string>> ReadHolders(string name) => _files.ReadHolders(name);

    /// <inheritdoc/>
    public KernelResult<string> ReadParameter(string module, string parameter) => _files.ReadParameter(module, parameter);

    private KernelResult Insert(string operation, byte[] handed, byte[] image, string parameters, ModuleLoadFlags flags)
    {
        ElfFile elf;
        string? name;
        try
        {
            elf = ElfFile.Open(new MemoryByteSource(image));
            name = ReadThisModuleName(elf);
        }
        catch (ModuleFormatException)
        {
            return Record(operation, string.Empty, parameters, (int)flags, handed, Errno.ENOEXEC);
        }

        if (name is null)
        {
            return Record(operation, string.Empty, parameters, (int)flags, handed, Errno.ENOEXEC);
        }

        int errno = LoadError(name, elf, flags);
        if (errno == 0)
        {
            CreateModule(name, image.Length, 0, [], ParseParameters(parameters));
        }

        return Record(operation, name, parameters, (int)flags, handed, errno);
    }

    private int LoadError(string name, ElfFile elf, ModuleLoadFlags flags)
    {
        if (_loadErrors.TryGetValue(name, out int scripted))
        {
            return scripted;
        }

        if (File.Exists(_files.ModuleDirectory(name) + "/initstate"))
        {
            return Errno.EEXIST;
        }

        if (VerMagic is not null && !flags.HasFlag(ModuleLoadFlags.IgnoreVermagic) && elf.TryReadSection(".modinfo", out byte[] modinfo))
        {
            var vermagic = ModInfoStrings.Parse(modinfo).FirstOrDefault(e => e.Key == "vermagic");
            if (vermagic is not null && vermagic.Value != VerMagic)
            {
                return Errno.ENOEXEC;
            }
        }

        return 0;
    }

    // The kernel reads the name from struct module in .gnu.linkonce.this_module: the name field follows
    // the state (an int) and the list_head, at offset 24 on 64-bit and 12 on 32-bit (kmod testsuite/init_module.c).
    private static string? ReadThisModuleName(ElfFile elf)
    {
        if (!elf.TryReadSection(".gnu.linkonce.this_module", out byte[] data))
        {
            return null;
        }

        int offset = elf.Class == ElfClass.Elf32 ? 12 : 24;
        if (data.Length <= offset)
        {
            return null;
        }

        var name = data.AsSpan(offset);
        int end = name.IndexOf((byte)0);
        return end <= 0 ? null : Encoding.UTF8.GetString(name[..end]);
    }

    private int Unload(string name, ModuleUnloadFlags flags)
    {
        if (_unloadErrors.TryGetValue(name, out int scripted))
        {
            return scripted;
        }

        string directory = _files.ModuleDirectory(name);
        if (!File.Exists(directory + "/initstate"))
        {
            return Errno.ENOENT;
        }

        // kernel/module/main.c delete_module: modules depending on this one block it; so does a reference
        // count above zero unless forced (try_stop_module), both with EWOULDBLOCK.
        var holders = _files.ReadHolders(name);
        if (holders.Succeeded && holders.Value.Count > 0)
        {
            return Errno.EAGAIN;
        }

        var refCount = _files.ReadRefCount(name);
        if (refCount.Succeeded && refCount.Value > 0 && !flags.HasFlag(ModuleUnloadFlags.Force))
        {
            return Errno.EAGAIN;
        }

        Directory.Delete(directory, recursive: true);
        RewriteProcModules(lines => lines.Where(l => FirstField(l) != name));
        foreach (string other in Directory.EnumerateDirectories(_files.Path("/sys/module")))
        {
            string holder = other + "/holders/" + name;
            if (File.Exists(holder) || Directory.Exists(holder))
            {
                File.Delete(holder);
                var count = _files.ReadRefCount(System.IO.Path.GetFileName(other));
                if (count.Succeeded && count.Value > 0)
                {
                    File.WriteAllText(other + "/refcnt", $"{count.Value - 1}\n");
                }
            }
        }

        return 0;
    }

    private void CreateModule(string name, long size, int refCount, List<string> holders, Dictionary<string, string> parameters)
    {
        string directory = _files.ModuleDirectory(name);
        Directory.CreateDirectory(directory + "/holders");
        Directory.CreateDirectory(directory + "/parameters");
        File.WriteAllText(directory + "/initstate", "live\n");
        File.WriteAllText(directory + "/refcnt", $"{refCount}\n");
        File.WriteAllText(directory + "/coresize", $"{size}\n");
        foreach (string holder in holders)
        {
            File.WriteAllText(directory + "/holders/" + holder, string.Empty);
        }

        foreach (var (key, value) in parameters)
        {
            File.WriteAllText(directory + "/parameters/" + key, value + "\n");
        }

        string users = holders.Count == 0 ? "-" : string.Concat(holders.Select(h => h + ","));
        string line = $"{name} {size} {refCount} {users} Live {Address}";
        RewriteProcModules(lines => lines.Where(l => FirstField(l) != name).Prepend(line));
    }

    private void RewriteProcModules(Func<IEnumerable<string>, IEnumerable<string>> change)
    {
        string path = _files.Path("/proc/modules");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var lines = File.Exists(path) ? File.ReadAllLines(path) : [];
        File.WriteAllLines(path, change(lines).ToList());
    }

    private static string FirstField(string line)
    {
        int space = line.IndexOf(' ');
        return space < 0 ? line : line[..space];
    }

    // The kernel's parse_args/next_arg: words separated by spaces, double quotes group a value (and are removed).
    private static Dictionary<string, string> ParseParameters(string parameters)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        int i = 0;
        while (i < parameters.Length)
        {
            while (i < parameters.Length && parameters[i] == ' ')
            {
                i++;
            }

            var word = new StringBuilder();
            bool quoted = false;
            for (; i < parameters.Length && (quoted || parameters[i] != ' '); i++)
            {
                if (parameters[i] == '"')
                {
                    quoted = !quoted;
                    continue;
                }

                word.Append(parameters[i]);
            }

            if (word.Length == 0)
            {
                continue;
            }

            string text = word.ToString();
            int equals = text.IndexOf('=');
            string key = (equals < 0 ? text : text[..equals]).Replace('-', '_');
            if (key.Length > 0 && !key.Contains('/') && !key.Contains('.'))
            {
                result[key] = equals < 0 ? "Y" : text[(equals + 1)..];
            }
        }

        return result;
    }

    private KernelResult Record(string operation, string name, string parameters, int flags, byte[] image, int errno)
    {
        _calls.Add(new FakeKernelCall(operation, name, parameters, flags, image, errno));
        return errno == 0 ? KernelResult.Success : KernelResult.Failure(errno);
    }
}
