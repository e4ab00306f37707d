using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using ModKit.Files;
using ModKit.Interop;

namespace ModKit.Kernel;

/// <summary>
/// The running Linux kernel: module system calls through the C library (<c>init_module</c>,
/// <c>delete_module</c>, and <c>finit_module</c> through <c>syscall</c> with the architecture's number),
/// module state from <c>/proc</c> and <c>/sys</c>. NativeAOT-safe: only blittable <c>LibraryImport</c>s.
/// </summary>
public sealed class LinuxKernel : IKernel
{
    private readonly KernelFiles _files;
    private string? _release;
    private ModuleCompression? _compression;

    /// <summary>Creates the real kernel.</summary>
    public LinuxKernel()
        : this("/")
    {
    }

    /// <summary>
    /// Creates the real kernel whose <c>/proc</c> and <c>/sys</c> are read under <paramref name="root"/>
    /// (system calls still go to the running kernel).
    /// </summary>
    /// <param name="root">The folder holding <c>proc/</c> and <c>sys/</c>; <c>/</c> normally.</param>
    public LinuxKernel(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _files = new KernelFiles(root);
    }

    /// <inheritdoc/>
    public string Release => _release ??= ReadRelease();

    /// <inheritdoc/>
    /// <remarks>Read once, as libkmod reads it once per context (<c>kmod_new</c>).</remarks>
    public ModuleCompression Compression => _compression ??= _files.ReadCompression();

    /// <inheritdoc/>
    public KernelResult<string> ReadCommandLine() => _files.ReadCommandLine();

    /// <inheritdoc/>
    public unsafe KernelResult LoadModule(SafeFileHandle file, string parameters, ModuleLoadFlags flags)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(parameters);
        nint number = Libc.FinitModuleNumber;
        if (number < 0)
        {
            return KernelResult.Failure(Errno.ENOSYS);
        }

        byte[] parameterBytes = NulTerminated(parameters);
        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            fixed (byte* p = parameterBytes)
            {
                nint result = Libc.Syscall3(number, file.DangerousGetHandle(), (nint)p, (nint)flags);
                return result == 0 ? KernelResult.Success : KernelResult.Failure(Marshal.GetLastPInvokeError());
            }
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    /// <inheritdoc/>
    public unsafe KernelResult LoadModule(ReadOnlySpan<byte> image, string parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        byte[] parameterBytes = NulTerminated(parameters);
        fixed (byte* i = image)
        fixed (byte* p = parameterBytes)
        {
            int result = Libc.InitModule(i, (nuint)image.Length, p);
            return result == 0 ? KernelResult.Success : KernelResult.Failure(Marshal.GetLastPInvokeError());
        }
    }

    /// <inheritdoc/>
    public unsafe KernelResult UnloadModule(string name, ModuleUnloadFlags flags)
    {
        ArgumentNullException.ThrowIfNull(name);
        byte[] nameBytes = NulTerminated(name);
        fixed (byte* n = nameBytes)
        {
            int result = Libc.DeleteModule(n, (uint)flags);
            return result == 0 ? KernelResult.Success : KernelResult.Failure(Marshal.GetLastPInvokeError());
        }
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

    private static byte[] NulTerminated(string text)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    // uname(2)'s release field (the third of six: sysname, nodename, release, version, machine, domainname), as kmod's get_kernel_release reads it.
    private static unsafe string ReadRelease()
    {
        byte* buffer = stackalloc byte[Libc.UtsNameLength];
        try
        {
            if (Libc.Uname(buffer) == 0)
            {
                var release = new ReadOnlySpan<byte>(buffer + (2 * Libc.UtsFieldLength), Libc.UtsFieldLength);
                int end = release.IndexOf((byte)0);
                return Encoding.UTF8.GetString(end < 0 ? release : release[..end]);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }

        return KernelFiles.TryReadText("/proc/sys/kernel/osrelease", out string text, out _) ? text.TrimEnd('\n') : string.Empty;
    }
}
