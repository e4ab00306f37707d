/* The few things libkmod.so.2 does in C, around the .NET code (ModKit.Native).
 *
 * kmod_log: kmod_set_log_fn's callback takes a va_list, which .NET cannot build: ModKit.Native passes
 * each message already formatted, and this shim hands it over as the single argument of "%s".
 *
 * kmod_new: NativeAOT starts its runtime on the first call into the library, and that start can harm the
 * host process in three ways this wrapper prevents. Its threads must not take the host's signals (below). It ignores SIGPIPE for the whole process (and for every
 * program the host later executes), which libkmod never does: the disposition the host had is put back.
 * And when the address space left under RLIMIT_AS is too small for the runtime's reservation, the start
 * fails with abort(), which in systemd's PID 1 is a kernel panic: kmod_new then fails with ENOMEM
 * instead, as kmod's own allocations would. The clean-up calls a program makes after kmod_new failed
 * (kmod_unref, kmod_module_unref, kmod_module_unref_list of NULL) and the list walks are answered here,
 * so they never start the runtime either.
 *
 * The list walks: struct kmod_list is kmod's circular doubly-linked list whose first node is the list
 * itself (KmodList.cs makes its nodes). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>

typedef void (*kmod_log_fn)(void *data, int priority, const char *file, int line, const char *fn,
                            const char *format, va_list args);

static void call_log(kmod_log_fn log, void *data, int priority, const char *file, int line,
                     const char *fn, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    log(data, priority, file, line, fn, format, args);
    va_end(args);
}

/* log == NULL: libkmod's default, "libkmod: FUNCTION: MESSAGE" on stderr. */
void modkit_log(void *log, void *data, int priority, const char *file, int line, const char *fn,
                const char *message)
{
    if (log == NULL)
        fprintf(stderr, "libkmod: %s: %s", fn, message);
    else
        call_log((kmod_log_fn)log, data, priority, file, line, fn, "%s", message);
}

struct kmod_ctx;
struct kmod_module;
struct kmod_list {
    struct kmod_list *next, *prev;
    void *data;
};

#define EXPORT __attribute__((visibility("default")))

/* ModKit.Native's exports behind these (Exports.Context.cs, Exports.Module.cs). */
struct kmod_ctx *modkit_kmod_new(const char *dirname, const char *const *config_paths);
struct kmod_ctx *modkit_kmod_unref(struct kmod_ctx *ctx);
struct kmod_module *modkit_kmod_module_unref(struct kmod_module *mod);
int modkit_kmod_module_unref_list(struct kmod_list *list);
int modkit_runtime_start(void);

EXPORT struct kmod_list *kmod_list_next(const struct kmod_list *list, const struct kmod_list *curr)
{
    return list == NULL || curr == NULL || curr->next == list ? NULL : curr->next;
}

EXPORT struct kmod_list *kmod_list_prev(const struct kmod_list *list, const struct kmod_list *curr)
{
    return list == NULL || curr == NULL || curr == list ? NULL : curr->prev;
}

EXPORT struct kmod_list *kmod_list_last(const struct kmod_list *list)
{
    return list == NULL ? NULL : list->prev;
}

EXPORT struct kmod_ctx *kmod_unref(struct kmod_ctx *ctx)
{
    return ctx == NULL ? NULL : modkit_kmod_unref(ctx);
}

EXPORT struct kmod_module *kmod_module_unref(struct kmod_module *mod)
{
    return mod == NULL ? NULL : modkit_kmod_module_unref(mod);
}

EXPORT int kmod_module_unref_list(struct kmod_list *list)
{
    return list == NULL ? 0 : modkit_kmod_module_unref_list(list);
}

/* What the runtime reserves when it starts: the GC's region range (System.GC.RegionRange in
 * ModKit.Native.csproj, passed in by the build) and what it maps beside it, measured with
 * tests/ModKit.Tests/Native/libkmod-footprint.c. */
#ifndef MODKIT_GC_REGION_RANGE
#error MODKIT_GC_REGION_RANGE must be defined by the build
#endif
#define RUNTIME_ADDRESS_SPACE (MODKIT_GC_REGION_RANGE + (64UL << 20))

static pthread_mutex_t start_lock = PTHREAD_MUTEX_INITIALIZER;
static int started;

/* Under RLIMIT_AS, whether the runtime's reservation still fits: reserved and given back at once. */
static int address_space_left(void)
{
    struct rlimit limit;
    void *probe;
    if (getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return 1;
    probe = mmap(NULL, RUNTIME_ADDRESS_SPACE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (probe == MAP_FAILED)
        return 0;
    munmap(probe, RUNTIME_ADDRESS_SPACE);
    return 1;
}

/* The runtime's own threads (the finalizer thread, made when it starts) inherit the signal mask of the
 * thread that starts it. A host that later blocks a signal to read it from a signalfd, as systemd's PID 1
 * and udevd do with SIGCHLD after kmod_new, blocks it in its own threads only: a runtime thread that had
 * it unblocked would take the signal (SIGCHLD's default action discards it) and the host would never learn
 * that its children exited. So the runtime starts with every signal blocked, and the caller gets its own
 * mask back, less the signals the runtime unblocked for itself (its thread-suspension signal). */
static void start_with_signals_blocked(void)
{
    sigset_t all, caller, after;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &caller);
    modkit_runtime_start();
    pthread_sigmask(SIG_SETMASK, NULL, &after);
    for (int sig = 1; sig < NSIG; sig++)
        if (sigismember(&all, sig) == 1 && sigismember(&after, sig) == 0)
            sigdelset(&caller, sig);
    pthread_sigmask(SIG_SETMASK, &caller, NULL);
}

static int start_runtime(void)
{
    struct sigaction pipe_before;
    pthread_mutex_lock(&start_lock);
    if (!started && address_space_left() && sigaction(SIGPIPE, NULL, &pipe_before) == 0) {
        start_with_signals_blocked();
        sigaction(SIGPIPE, &pipe_before, NULL);
        __atomic_store_n(&started, 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&start_lock);
    return started;
}

EXPORT struct kmod_ctx *kmod_new(const char *dirname, const char *const *config_paths)
{
    if (!__atomic_load_n(&started, __ATOMIC_ACQUIRE) && !start_runtime()) {
        errno = ENOMEM;
        return NULL;
    }
    return modkit_kmod_new(dirname, config_paths);
}
