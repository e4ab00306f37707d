using System.Runtime.InteropServices;

namespace ModKit.Interop;

/// <summary>
/// The glibc entry points the Linux kernel layer uses: the module system calls and <c>uname</c>.
/// glibc 2.36 has no <c>finit_module</c> wrapper, so it goes through <c>syscall</c> with the
/// architecture's number (<see cref="FinitModuleNumber"/>).
/// </summary>
internal static unsafe partial class Libc
{
    /// <summary>The C library; the runtime resolves <c>libc</c> to glibc's <c>libc.so.6</c>.</summary>
    public const string Library = "libc";

    /// <summary><c>sizeof(struct utsname)</c> on Linux: six fields of 65 bytes.</summary>
    public const int UtsNameLength = 6 * UtsFieldLength;

    /// <summary>The length of one <c>struct utsname</c> field (<c>_UTSNAME_LENGTH</c>).</summary>
    public const int UtsFieldLength = 65;

    /// <summary><c>init_module(2)</c>: loads a module image from memory.</summary>
    [LibraryImport(Library, EntryPoint = "init_module", SetLastError = true)]
    public static partial int InitModule(byte* image, nuint length, byte* parameters);

    /// <summary><c>delete_module(2)</c>: unloads a module by name.</summary>
    [LibraryImport(Library, EntryPoint = "delete_module", SetLastError = true)]
    public static partial int DeleteModule(byte* name, uint flags);

    /// <summary><c>syscall(2)</c> with three integer arguments (how <c>finit_module</c> is called).</summary>
    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true)]
    public static partial nint Syscall3(nint number, nint arg1, nint arg2, nint arg3);

    /// <summary><c>uname(2)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "uname", SetLastError = true)]
    public static partial int Uname(byte* buffer);

    /// <summary><c>posix_spawn(3)</c> without file actions or attributes.</summary>
    [LibraryImport(Library, EntryPoint = "posix_spawn")]
    public static partial int PosixSpawn(out int pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    /// <summary><c>waitpid(2)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, out int status, int options);

    /// <summary>
    /// <c>__NR_finit_module</c> for the running process's architecture (the kernel's
    /// <c>syscall_64.tbl</c>, <c>unistd.h</c> tables), or -1 where ModKit does not know it.
    /// </summary>
    public static nint FinitModuleNumber => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 313,
        Architecture.Arm64 or Architecture.RiscV64 or Architecture.LoongArch64 => 273,
        Architecture.X86 => 350,
        Architecture.Arm => 379,
        Architecture.S390x => 344,
        Architecture.Ppc64le => 353,
        _ => -1,
    };
}
