/* What kmod 30's testsuite traps do not handle in a process that runs the .NET runtime (ModKit's
 * libkmod.so.2). Compiled into each test program and exported from it (--export-dynamic-symbol): the
 * program comes first in the lookup order, before the traps the testsuite preloads in each test's child
 * (it replaces LD_PRELOAD with its own) and before libc, for the library's calls too.
 * - statx, openat, fstatat and, for kmod 34.2's path.c, lstat and glibc's old __xstat64/__lxstat64
 *   (which the .NET runtime's prebuilt System.Native calls for File and Directory; kmod 34.2 wraps them only
 *   where the headers still declare __xstat, and Debian 12's no longer do), which path.c does not
 *   redirect: an absolute path goes into the test's rootfs by the
 *   rule path.c uses: when TESTSUITE_ROOTFS is set (the testsuite sets it in the child of a test that has a
 *   rootfs), an absolute path that is not already under the build folder gets the rootfs in front.
 *   Without TESTSUITE_ROOTFS nothing changes.
 * - syscall: init_module.c's syscall() handles finit_module and gettid and aborts on any other number;
 *   the runtime calls syscall(__NR_membarrier, ...) when it starts. finit_module goes to the next
 *   definition (the preloaded trap's, or libc's), every other call to libc's with six arguments.
 * MODKIT_TRAP_LOG=1 shows each redirected call on stderr. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#ifndef ABS_TOP_BUILDDIR
#error ABS_TOP_BUILDDIR: the folder whose paths are never redirected
#endif

/* The path to use instead of path (buffer), or path itself; NULL when too long. */
static const char *redirect(const char *function, const char *path, char *buffer, size_t size)
{
    const char *root = getenv("TESTSUITE_ROOTFS");
    const char *result = path;
    if (root != NULL && path != NULL && path[0] == '/' && strncmp(path, ABS_TOP_BUILDDIR, strlen(ABS_TOP_BUILDDIR)) != 0) {
        if ((size_t)snprintf(buffer, size, "%s%s", root, path) >= size) {
            errno = ENAMETOOLONG;
            return NULL;
        }
        result = buffer;
    }
    if (getenv("MODKIT_TRAP_LOG") != NULL)
        fprintf(stderr, "modkit-trap: %s(%s) -> %s\n", function, path ? path : "(null)", result ? result : "(too long)");
    return result;
}

int statx(int directory, const char *path, int flags, unsigned int mask, struct statx *buffer)
{
    static int (*next)(int, const char *, int, unsigned int, struct statx *);
    char moved[PATH_MAX * 2];
    const char *target = redirect("statx", path, moved, sizeof(moved));
    if (next == NULL)
        next = (int (*)(int, const char *, int, unsigned int, struct statx *))dlsym(RTLD_NEXT, "statx");
    if (target == NULL)
        return -1;
    return next(directory, target, flags, mask, buffer);
}

/* lstat, lstat64 (the same on x86-64) */
#define WRAP_LSTAT(name, type)                                                          \
    int name(const char *path, type *buffer)                                            \
    {                                                                                   \
        static int (*next)(const char *, type *);                                       \
        char moved[PATH_MAX * 2];                                                       \
        const char *target = redirect(#name, path, moved, sizeof(moved));               \
        if (next == NULL)                                                               \
            next = (int (*)(const char *, type *))dlsym(RTLD_NEXT, #name);              \
        return target == NULL ? -1 : next(target, buffer);                              \
    }
WRAP_LSTAT(lstat, struct stat)
WRAP_LSTAT(lstat64, struct stat64)

#define WRAP_FSTATAT(name, type)                                                        \
    int name(int directory, const char *path, type *buffer, int flags)                  \
    {                                                                                   \
        static int (*next)(int, const char *, type *, int);                             \
        char moved[PATH_MAX * 2];                                                       \
        const char *target = redirect(#name, path, moved, sizeof(moved));               \
        if (next == NULL)                                                               \
            next = (int (*)(int, const char *, type *, int))dlsym(RTLD_NEXT, #name);    \
        return target == NULL ? -1 : next(directory, target, buffer, flags);            \
    }
WRAP_FSTATAT(fstatat, struct stat)
WRAP_FSTATAT(fstatat64, struct stat64)

/* glibc's versioned stat entry points: __xstat64(version, path, buffer) and the lstat one */
#define WRAP_XSTAT(name)                                                                \
    int name(int version, const char *path, struct stat64 *buffer)                      \
    {                                                                                   \
        static int (*next)(int, const char *, struct stat64 *);                         \
        char moved[PATH_MAX * 2];                                                       \
        const char *target = redirect(#name, path, moved, sizeof(moved));               \
        if (next == NULL)                                                               \
            next = (int (*)(int, const char *, struct stat64 *))dlsym(RTLD_NEXT, #name); \
        return target == NULL ? -1 : next(version, target, buffer);                     \
    }
WRAP_XSTAT(__xstat64)
WRAP_XSTAT(__lxstat64)

static int open_at(const char *name, int directory, const char *path, int flags, va_list args)
{
    int (*next)(int, const char *, int, ...) = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, name);
    char moved[PATH_MAX * 2];
    const char *target = redirect(name, path, moved, sizeof(moved));
    mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(args, int) : 0;
    if (target == NULL)
        return -1;
    return next(directory, target, flags, mode);
}

int openat(int directory, const char *path, int flags, ...)
{
    va_list args;
    int fd;
    va_start(args, flags);
    fd = open_at("openat", directory, path, flags, args);
    va_end(args);
    return fd;
}

int openat64(int directory, const char *path, int flags, ...)
{
    va_list args;
    int fd;
    va_start(args, flags);
    fd = open_at("openat64", directory, path, flags, args);
    va_end(args);
    return fd;
}

long syscall(long number, ...)
{
    static long (*next)(long, ...), (*libc)(long, ...);
    va_list args;
    long a[6];
    int i;
    va_start(args, number);
    for (i = 0; i < 6; i++)
        a[i] = va_arg(args, long);
    va_end(args);
    if (next == NULL) {
        next = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
        libc = (long (*)(long, ...))dlsym(dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD), "syscall");
    }
    if (getenv("MODKIT_TRAP_LOG") != NULL)
        fprintf(stderr, "modkit-trap: syscall(%ld)\n", number);
    return (number == __NR_finit_module ? next : libc)(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}
