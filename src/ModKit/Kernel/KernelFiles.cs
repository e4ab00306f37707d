using ModKit.Files;
using ModKit.IO;

namespace ModKit.Kernel;

/// <summary>
/// Reads the kernel's module state from <c>/proc</c> and <c>/sys</c> under a root folder (<c>/</c> for the
/// real kernel, a test folder for <see cref="FakeKernel"/>), with libkmod's parsing rules
/// (<c>libkmod/libkmod-module.c</c>, <c>libkmod/libkmod.c</c>).
/// </summary>
internal sealed class KernelFiles(string root)
{
    public string Root { get; } = root;

    /// <summary>Places an absolute path such as <c>/proc/modules</c> under <see cref="Root"/>.</summary>
    public string Path(string absolute) => Root == "/" ? absolute : Root.TrimEnd('/') + absolute;

    public string ModuleDirectory(string name) => Path("/sys/module/" + name);

    // libkmod.c get_kernel_compression: the file holds the algorithm's name and a newline.
    public ModuleCompression ReadCompression() => TryReadText(Path("/sys/module/compression"), out string text, out _)
        ? text switch
        {
            "zstd\n" => ModuleCompression.Zstd,
            "xz\n" => ModuleCompression.Xz,
            "gzip\n" => ModuleCompression.Gzip,
            _ => ModuleCompression.None,
        }
        : ModuleCompression.None;

    public KernelResult<string> ReadCommandLine() => TryReadText(Path("/proc/cmdline"), out string text, out int errno)
        ? KernelResult<string>.Success(text.TrimEnd('\n'))
        : KernelResult<string>.Failure(errno);

    public KernelResult<IReadOnlyList<LoadedModule>> ReadLoadedModules()
    {
        if (!TryReadText(Path("/proc/modules"), out string text, out int errno))
        {
            return KernelResult<IReadOnlyList<LoadedModule>>.Failure(errno);
        }

        var modules = new List<LoadedModule>();
        foreach (string line in text.Split('\n'))
        {
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            long size = fields.Length > 1 && long.TryParse(fields[1], out long s) ? s : -1;
            int count = fields.Length > 2 && int.TryParse(fields[2], out int c) ? c : -1;
            IReadOnlyList<string> users = fields.Length > 3 && fields[3] != "-"
                ? fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries)
                : [];
            modules.Add(new LoadedModule(fields[0], size, count, users, fields.Length > 4 ? fields[4] : string.Empty)
            {
                Taints = fields.Length > 6 && fields[6].StartsWith('(') ? fields[6].Trim('(', ')') : string.Empty,
            });
        }

        return KernelResult<IReadOnlyList<LoadedModule>>.Success(modules);
    }

    // kmod_module_get_initstate: a directory without initstate is a module still coming (or a built-in one).
    public KernelResult<ModuleInitState> ReadInitState(string name)
    {
        string directory = ModuleDirectory(name);
        if (!TryReadText(directory + "/initstate", out string text, out int errno))
        {
            return Directory.Exists(directory)
                ? KernelResult<ModuleInitState>.Success(ModuleInitState.Coming)
                : KernelResult<ModuleInitState>.Failure(errno);
        }

        return text switch
        {
            "live\n" => KernelResult<ModuleInitState>.Success(ModuleInitState.Live),
            "coming\n" => KernelResult<ModuleInitState>.Success(ModuleInitState.Coming),
            "going\n" => KernelResult<ModuleInitState>.Success(ModuleInitState.Going),
            _ => KernelResult<ModuleInitState>.Failure(Errno.EINVAL),
        };
    }

    public KernelResult<int> ReadRefCount(string name)
    {
        var value = ReadLong(ModuleDirectory(name) + "/refcnt");
        return value.Succeeded ? KernelResult<int>.Success((int)value.Value) : KernelResult<int>.Failure(value.Errno);
    }

    // kmod_module_get_size: not loaded without the sysfs directory; coresize (Linux 3.3+), else /proc/modules.
    public KernelResult<long> ReadSize(string name)
    {
        string directory = ModuleDirectory(name);
        if (!Directory.Exists(directory))
        {
            return KernelResult<long>.Failure(File.Exists(directory) ? Errno.ENOTDIR : Errno.ENOENT);
        }

        if (File.Exists(directory + "/coresize"))
        {
            return ReadLong(directory + "/coresize");
        }

        var loaded = ReadLoadedModules();
        if (!loaded.Succeeded)
        {
            return KernelResult<long>.Failure(loaded.Errno);
        }

        var line = loaded.Value.FirstOrDefault(m => m.Name == name);
        return line is null || line.Size < 0 ? KernelResult<long>.Failure(Errno.ENOENT) : KernelResult<long>.Success(line.Size);
    }

    public KernelResult<IReadOnlyList<string>> ReadHolders(string name)
    {
        string directory = ModuleDirectory(name) + "/holders";
        try
        {
            var names = new DirectoryInfo(directory).EnumerateFileSystemInfos().Select(e => e.Name).ToList();
            return KernelResult<IReadOnlyList<string>>.Success(names);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return KernelResult<IReadOnlyList<string>>.Failure(Errno.FromException(e));
        }
    }

    public KernelResult<string> ReadParameter(string module, string parameter) =>
        TryReadText(ModuleDirectory(module) + "/parameters/" + parameter, out string text, out int errno)
            ? KernelResult<string>.Success(text.EndsWith('\n') ? text[..^1] : text)
            : KernelResult<string>.Failure(errno);

    // read_str_long: decimal, surrounding whitespace allowed.
    private static KernelResult<long> ReadLong(string path)
    {
        if (!TryReadText(path, out string text, out int errno))
        {
            return KernelResult<long>.Failure(errno);
        }

        return long.TryParse(text.Trim(), out long value)
            ? KernelResult<long>.Success(value)
            : KernelResult<long>.Failure(Errno.EINVAL);
    }

    public static bool TryReadText(string path, out string text, out int errno)
    {
        // Read to the end whatever the size says: sysfs reports 4096 for every attribute, /proc 0.
        errno = NativeFile.ReadAllText(path, out text);
        return errno == 0;
    }

}
