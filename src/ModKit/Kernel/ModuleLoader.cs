using Microsoft.Win32.SafeHandles;
using ModKit.Elf;
using ModKit.Files;

namespace ModKit.Kernel;

/// <summary>
/// Inserts a module file into a kernel the way libkmod does (<c>libkmod/libkmod-module.c:
/// kmod_module_insert_module</c>, with kmod 31+'s kernel decompression when the profile has it), plus one ModKit
/// improvement:
/// <list type="number">
/// <item>an uncompressed file goes to <c>finit_module</c>, with the force flags as kernel flags;</item>
/// <item>a compressed file whose algorithm the kernel decompresses (<see cref="IKernel.Compression"/>) goes to
/// <c>finit_module</c> with <see cref="ModuleLoadFlags.CompressedFile"/>; if the kernel rejects it
/// (<see cref="Errno.EINVAL"/>, <see cref="Errno.EOPNOTSUPP"/>: e.g. xz with CRC64 checks) ModKit retries once
/// with userspace decompression — kmod has no such fallback;</item>
/// <item>any other compressed file is decompressed here and handed to <c>init_module</c>, with
/// <c>__versions</c> and <c>vermagic=</c> stripped from the image when forced;</item>
/// <item><c>finit_module</c> answering <see cref="Errno.ENOSYS"/> (Linux before 3.8) falls back to <c>init_module</c>.</item>
/// </list>
/// </summary>
public static class ModuleLoader
{
    /// <summary>Loads the module file at <paramref name="path"/>.</summary>
    /// <param name="kernel">The kernel to load into.</param>
    /// <param name="path">The module file (<c>.ko</c>, <c>.ko.gz</c>, <c>.ko.xz</c>, <c>.ko.zst</c>).</param>
    /// <param name="parameters">The module parameters, space separated (see <see cref="JoinParameters"/>).</param>
    /// <param name="force">The checks to skip.</param>
    /// <param name="info">Receives libkmod's INFO-level messages (without a trailing newline), or <see langword="null"/>.</param>
    /// <param name="error">
    /// Receives libkmod's ERROR-level messages (why a file could not be decompressed, see
    /// <see cref="ModuleFormatException.LibkmodFunction"/>), or <see langword="null"/>.
    /// </param>
    /// <returns>Success, or the errno of opening or decompressing the file or of the kernel.</returns>
    /// <param name="profile">
    /// The kmod release to load as (<see cref="KmodProfile.BuildDefault"/> if <see langword="null"/>): whether the
    /// kernel is given compressed files (<see cref="KmodProfile.KernelDecompressesModules"/>) and how a <c>.ko.zst</c>
    /// decompressed here is decoded (<see cref="KmodProfile.ZstdDecoding"/>).
    /// </param>
    public static KernelResult Load(IKernel kernel, string path, string parameters, ModuleForce force = ModuleForce.None, Action<string>? info = null,
        Action<string>? error = null, KmodProfile? profile = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(parameters);

        // open(2) succeeds on a directory and the first read fails; .NET refuses at open.
        if (Directory.Exists(path))
        {
            return KernelResult.Failure(Errno.EISDIR);
        }

        SafeFileHandle file;
        try
        {
            file = File.OpenHandle(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return KernelResult.Failure(Errno.FromException(e));
        }

        using (file)
        {
            var result = Insert(kernel, file, path, parameters, force, info, error, profile ?? KmodProfile.BuildDefault);
            if (!result.Succeeded)
            {
                info?.Invoke($"Failed to insert module '{path}': {Errno.Describe(result.Errno)}");
            }

            return result;
        }
    }

    /// <summary>
    /// Joins insmod's trailing arguments into one parameter string as kmod does (<c>tools/opt.c:
    /// options_from_array</c>, kmod 31+): single spaces between arguments, and a value containing a space that
    /// does not start with a quote is wrapped in double quotes (<c>x=a b</c> becomes <c>x="a b"</c>).
    /// </summary>
    /// <param name="arguments">The arguments.</param>
    /// <returns>The parameter string.</returns>
    public static string JoinParameters(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var parts = new List<string>();
        foreach (string argument in arguments)
        {
            int equals = argument.IndexOf('=');
            if (equals >= 0)
            {
                string value = argument[(equals + 1)..];
                if (!value.StartsWith('"') && !value.StartsWith('\'') && value.Contains(' '))
                {
                    parts.Add($"{argument[..(equals + 1)]}\"{value}\"");
                    continue;
                }
            }

            parts.Add(argument);
        }

        return string.Join(' ', parts);
    }

    /// <summary>The <c>finit_module</c> flags for <paramref name="force"/>.</summary>
    /// <param name="force">The checks to skip.</param>
    /// <returns>The kernel flags.</returns>
    public static ModuleLoadFlags KernelFlags(ModuleForce force) =>
        (force.HasFlag(ModuleForce.Modversion) ? ModuleLoadFlags.IgnoreModversions : 0) |
        (force.HasFlag(ModuleForce.Vermagic) ? ModuleLoadFlags.IgnoreVermagic : 0);

    private static KernelResult Insert(IKernel kernel, SafeFileHandle file, string path, string parameters, ModuleForce force, Action<string>? info,
        Action<string>? error, KmodProfile profile)
    {
        ModuleCompression compression;
        try
        {
            compression = ModuleCompressionDetector.Detect(file);
        }
        catch (ModuleFormatException e)
        {
            return KernelResult.Failure(e.ErrorNumber);
        }
        catch (IOException e)
        {
            return KernelResult.Failure(Errno.FromException(e));
        }

        var flags = KernelFlags(force);
        if (compression == ModuleCompression.None)
        {
            var direct = kernel.LoadModule(file, parameters, flags);
            if (direct.Errno != Errno.ENOSYS)
            {
                return direct;
            }
        }
        else if (compression == kernel.Compression && profile.KernelDecompressesModules)
        {
            var direct = kernel.LoadModule(file, parameters, flags | ModuleLoadFlags.CompressedFile);
            if (direct.Errno is not (Errno.ENOSYS or Errno.EINVAL or Errno.EOPNOTSUPP))
            {
                return direct;
            }

            if (direct.Errno != Errno.ENOSYS)
            {
                info?.Invoke($"The kernel could not decompress '{path}' ({Errno.Describe(direct.Errno)}); retrying with userspace decompression");
            }
        }

        byte[] image;
        try
        {
            image = compression == ModuleCompression.None
                ? ReadAll(file)
                : ModuleDecompressor.Decompress(file, compression, zstd: profile.ZstdDecoding);
        }
        catch (ModuleFormatException e)
        {
            if (e.LibkmodFunction is not null)
            {
                error?.Invoke(e.Message);
            }

            return KernelResult.Failure(e.ErrorNumber);
        }
        catch (IOException e)
        {
            return KernelResult.Failure(Errno.FromException(e));
        }

        if (force != ModuleForce.None)
        {
            Strip(image, force, info);
        }

        return kernel.LoadModule(image, parameters);
    }

    // kmod 30 only logs a failed strip at INFO and loads the module anyway.
    private static void Strip(byte[] image, ModuleForce force, Action<string>? info)
    {
        try
        {
            if (force.HasFlag(ModuleForce.Modversion))
            {
                int errno = ElfStripper.StripModversions(image);
                if (errno != 0)
                {
                    info?.Invoke($"Failed to strip modversion: {Errno.Describe(errno)}");
                }
            }

            if (force.HasFlag(ModuleForce.Vermagic))
            {
                int errno = ElfStripper.StripVermagic(image);
                if (errno != 0)
                {
                    info?.Invoke($"Failed to strip vermagic: {Errno.Describe(errno)}");
                }
            }
        }
        catch (ModuleFormatException e)
        {
            info?.Invoke($"Failed to strip version information: {Errno.Describe(e.ErrorNumber)}");
        }
    }

    private static byte[] ReadAll(SafeFileHandle file)
    {
        long length = RandomAccess.GetLength(file);
        if (length > Array.MaxLength)
        {
            throw new ModuleFormatException("module file too large", Errno.EFBIG);
        }

        byte[] image = new byte[length];
        int done = 0;
        while (done < image.Length)
        {
            int n = RandomAccess.Read(file, image.AsSpan(done), done);
            if (n == 0)
            {
                break;
            }

            done += n;
        }

        return done == image.Length ? image : image[..done];
    }
}
