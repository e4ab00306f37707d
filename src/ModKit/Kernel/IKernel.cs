using Microsoft.Win32.SafeHandles;
using ModKit.Files;

namespace ModKit.Kernel;

/// <summary>
/// Everything the module tools ask of the running kernel: the module system calls and what
/// <c>/proc</c> and <c>/sys</c> say about loaded modules. <see cref="LinuxKernel"/> is the real one;
/// <see cref="FakeKernel"/> keeps the same state in files under a folder, for tests, as kmod's
/// testsuite does with its LD_PRELOAD traps.
/// </summary>
public interface IKernel
{
    /// <summary>The kernel release (<c>uname -r</c>), e.g. <c>6.1.0-27-amd64</c>.</summary>
    string Release { get; }

    /// <summary>
    /// The compression the kernel decompresses itself (<c>/sys/module/compression</c>, Linux 6.4+ with
    /// <c>CONFIG_MODULE_DECOMPRESS</c>); <see cref="ModuleCompression.None"/> when absent or unknown.
    /// </summary>
    ModuleCompression Compression { get; }

    /// <summary>Reads the kernel command line (<c>/proc/cmdline</c>), without its trailing newline.</summary>
    /// <returns>The command line, or the errno that prevented reading it.</returns>
    KernelResult<string> ReadCommandLine();

    /// <summary>Loads a module from an open file: <c>finit_module(fd, parameters, flags)</c>.</summary>
    /// <param name="file">The module file, open for reading.</param>
    /// <param name="parameters">The module parameters, space separated (<c>""</c> for none).</param>
    /// <param name="flags">The kernel flags.</param>
    /// <returns>Success, or the kernel's errno (e.g. <see cref="Errno.EEXIST"/> when already loaded,
    /// <see cref="Errno.ENOSYS"/> on kernels before 3.8).</returns>
    KernelResult LoadModule(SafeFileHandle file, string parameters, ModuleLoadFlags flags);

    /// <summary>Loads a module image from memory: <c>init_module(image, length, parameters)</c>.</summary>
    /// <param name="image">The uncompressed ELF image.</param>
    /// <param name="parameters">The module parameters, space separated (<c>""</c> for none).</param>
    /// <returns>Success, or the kernel's errno.</returns>
    KernelResult LoadModule(ReadOnlySpan<byte> image, string parameters);

    /// <summary>Unloads a module: <c>delete_module(name, flags)</c>.</summary>
    /// <param name="name">The module name.</param>
    /// <param name="flags">The flags (libkmod always adds <see cref="ModuleUnloadFlags.NonBlocking"/>).</param>
    /// <returns>Success, or the kernel's errno (<see cref="Errno.ENOENT"/> not loaded,
    /// <see cref="Errno.EAGAIN"/> in use).</returns>
    KernelResult UnloadModule(string name, ModuleUnloadFlags flags);

    /// <summary>Reads <c>/proc/modules</c>, in the kernel's order (most recently loaded first).</summary>
    /// <returns>The loaded modules, or the errno of opening the file.</returns>
    KernelResult<IReadOnlyList<LoadedModule>> ReadLoadedModules();

    /// <summary>Reads <c>/sys/module/&lt;name&gt;/initstate</c> (<c>kmod_module_get_initstate</c>, without the built-in check).</summary>
    /// <param name="name">The module name.</param>
    /// <returns>The state; <see cref="ModuleInitState.Coming"/> when only the directory exists;
    /// <see cref="Errno.ENOENT"/> when the module is not loaded; <see cref="Errno.EINVAL"/> for unknown content.</returns>
    KernelResult<ModuleInitState> ReadInitState(string name);

    /// <summary>Reads <c>/sys/module/&lt;name&gt;/refcnt</c> (absent without <c>CONFIG_MODULE_UNLOAD</c>).</summary>
    /// <param name="name">The module name.</param>
    /// <returns>The reference count, or the errno.</returns>
    KernelResult<int> ReadRefCount(string name);

    /// <summary>
    /// The module's size as kmod reports it (<c>kmod_module_get_size</c>): <c>/sys/module/&lt;name&gt;/coresize</c>,
    /// or the second field of its <c>/proc/modules</c> line when that file is missing.
    /// </summary>
    /// <param name="name">The module name.</param>
    /// <returns>The size, or the errno (<see cref="Errno.ENOENT"/> when not loaded).</returns>
    KernelResult<long> ReadSize(string name);

    /// <summary>Lists <c>/sys/module/&lt;name&gt;/holders</c>, in directory order as kmod reads it.</summary>
    /// <param name="name">The module name.</param>
    /// <returns>The names of the modules holding this one, or the errno of opening the directory.</returns>
    KernelResult<IReadOnlyList<string>> ReadHolders(string name);

    /// <summary>Reads <c>/sys/module/&lt;module&gt;/parameters/&lt;parameter&gt;</c>, without its trailing newline.</summary>
    /// <param name="module">The module name.</param>
    /// <param name="parameter">The parameter name.</param>
    /// <returns>The value, or the errno.</returns>
    KernelResult<string> ReadParameter(string module, string parameter);
}
