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

    /// <summary><c>open(2)</c> flags: <c>O_RDONLY | O_CLOEXEC</c>, and <c>O_DIRECTORY</c> (the generic Linux values).</summary>
    public const int OpenReadOnly = 0x80000, OpenDirectory = 0x10000;

    /// <summary><c>mmap(2)</c>: <c>PROT_READ</c>, <c>MAP_PRIVATE</c>.</summary>
    public const int ProtectRead = 1, MapPrivate = 2;

    /// <summary><c>PROT_WRITE</c> and <c>MAP_ANONYMOUS</c>, for memory that belongs to no file.</summary>
    public const int ProtectWrite = 2, MapAnonymous = 0x20;

    /// <summary><c>AT_FDCWD</c>, <c>AT_EMPTY_PATH</c>, <c>STATX_TYPE | STATX_SIZE</c> for <see cref="Statx"/>.</summary>
    public const int AtCurrentDirectory = -100, AtEmptyPath = 0x1000, StatxTypeAndSize = 0x1 | 0x200;

    /// <summary>
    /// <c>sizeof(struct statx)</c> and the offsets of <c>stx_mode</c> and <c>stx_size</c>: unlike
    /// <c>struct stat</c>, the same on every architecture.
    /// </summary>
    public const int StatxLength = 256, StatxModeOffset = 28, StatxSizeOffset = 40;

    /// <summary><c>open(2)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "open", SetLastError = true)]
    public static partial int Open(byte* path, int flags);

    /// <summary><c>read(2)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    /// <summary><c>creat(2)</c>: <c>open(path, O_CREAT | O_WRONLY | O_TRUNC, mode)</c> without the variadic call.</summary>
    [LibraryImport(Library, EntryPoint = "creat", SetLastError = true)]
    public static partial int Creat(byte* path, uint mode);

    /// <summary><c>write(2)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    /// <summary><c>isatty(3)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "isatty")]
    public static partial int IsATty(int fd);

    /// <summary><c>mkdir(2)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "mkdir", SetLastError = true)]
    public static partial int Mkdir(byte* path, uint mode);

    /// <summary><c>close(2)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "close")]
    public static partial int Close(int fd);

    /// <summary><c>statx(2)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "statx", SetLastError = true)]
    public static partial int Statx(int directoryFd, byte* path, int flags, uint mask, byte* buffer);

    /// <summary><c>mmap(2)</c>; returns <c>MAP_FAILED</c> (-1) on failure.</summary>
    [LibraryImport(Library, EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    /// <summary><c>munmap(2)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "munmap")]
    public static partial int Munmap(nint address, nuint length);

    /// <summary><c>getdents64(2)</c> (glibc 2.30+): directory entries as <c>struct linux_dirent64</c> records.</summary>
    [LibraryImport(Library, EntryPoint = "getdents64", SetLastError = true)]
    public static partial nint GetDents64(int fd, byte* buffer, nuint count);

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
