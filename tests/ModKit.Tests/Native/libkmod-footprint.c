/* What loading libkmod does to its host process, as PID 1 or udevd would see it: address space, resident
 * memory, threads and signal dispositions before the first call (kmod_new + kmod_load_resources + one
 * lookup) and after it. The program installs a handler of its own for SIGSEGV first, as systemd's PID 1
 * does for its crash handler, and checks that a crash in the program still reaches it.
 *
 * usage: libkmod-footprint DIRNAME
 * Prints what the first call gave ("first call: context 0", or "no context" and errno when kmod_new
 * failed), "before"/"after" lines (vmsize, vmrss in kB, threads), one "signal N: ..." line for each
 * signal whose disposition changed, the other threads' names, and "crash handler: reached" or
 * "crash handler: not reached" for a segfault raised in a child after the first call. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libkmod.h>

struct usage { long vmsize, vmrss, threads; };

static struct usage measure(void)
{
    struct usage u = { -1, -1, -1 };
    char line[256];
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof(line), f)) {
        sscanf(line, "VmSize: %ld", &u.vmsize);
        sscanf(line, "VmRSS: %ld", &u.vmrss);
        sscanf(line, "Threads: %ld", &u.threads);
    }
    if (f)
        fclose(f);
    return u;
}

static void crash_handler(int sig)
{
    static const char text[] = "crash handler: reached\n";
    (void)!write(STDOUT_FILENO, text, sizeof(text) - 1);
    _exit(128 + sig);
}

static const char *disposition(const struct sigaction *sa, char *buf, size_t size)
{
    if (sa->sa_handler == SIG_DFL)
        return "default";
    if (sa->sa_handler == SIG_IGN)
        return "ignored";
    if (sa->sa_handler == crash_handler)
        return "program's handler";
    snprintf(buf, size, "handler flags=%#x", (unsigned)sa->sa_flags);
    return buf;
}

static char program_name[64];

static void print_threads(const char *skip)
{
    FILE *self_comm = fopen("/proc/self/comm", "r");
    if (self_comm) {
        if (fgets(program_name, sizeof(program_name), self_comm))
            program_name[strcspn(program_name, "\n")] = 0;
        fclose(self_comm);
    }
    DIR *dir = opendir("/proc/self/task");
    struct dirent *e;
    char path[300], name[64];
    while (dir && (e = readdir(dir))) {
        FILE *f;
        if (e->d_name[0] == '.' || strcmp(e->d_name, skip) == 0)
            continue;
        snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
        /* A new thread has the program's name until it names itself: on a loaded machine that can come
         * after the first call returns, so wait for it (up to 2 s). */
        for (int tries = 0; tries < 200; tries++) {
            name[0] = 0;
            if ((f = fopen(path, "r"))) {
                if (!fgets(name, sizeof(name), f))
                    name[0] = 0;
                fclose(f);
            }
            name[strcspn(name, "\n")] = 0;
            if (strcmp(name, program_name) != 0)
                break;
            usleep(10000);
        }
        if (name[0])
            printf("thread: %s\n", name);
    }
    if (dir)
        closedir(dir);
}

int main(int argc, char **argv)
{
    static struct sigaction before[NSIG];
    struct sigaction sa;
    struct kmod_ctx *ctx;
    struct kmod_list *list = NULL;
    struct usage u0, u1;
    char self[32], buf1[64], buf2[64];
    int sig, status, err;
    pid_t child;

    if (argc != 2) {
        fprintf(stderr, "usage: libkmod-footprint DIRNAME\n");
        return 2;
    }
    /* a program starts with SIGPIPE's default, whatever the process that started this one ignored */
    signal(SIGPIPE, SIG_DFL);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = crash_handler;
    sigaction(SIGSEGV, &sa, NULL);
    for (sig = 1; sig < NSIG; sig++)
        sigaction(sig, NULL, &before[sig]);
    snprintf(self, sizeof(self), "%d", (int)getpid());

    u0 = measure();
    errno = 0;
    ctx = kmod_new(argv[1], NULL);
    err = ctx ? kmod_load_resources(ctx) : -errno;
    if (ctx)
        err = err ? err : kmod_module_new_from_lookup(ctx, "ext4", &list);
    kmod_module_unref_list(list);
    u1 = measure();
    printf("first call: %s %d\n", ctx ? "context" : "no context", err);
    printf("before: vmsize=%ld vmrss=%ld threads=%ld\n", u0.vmsize, u0.vmrss, u0.threads);
    printf("after: vmsize=%ld vmrss=%ld threads=%ld\n", u1.vmsize, u1.vmrss, u1.threads);

    for (sig = 1; sig < NSIG; sig++) {
        struct sigaction now;
        if (sigaction(sig, NULL, &now) != 0)
            continue;
        /* the kernel reports SA_RESTORER once a handler was set through glibc: only a new handler, or a
         * function's new flags, is a change */
        if (now.sa_handler != before[sig].sa_handler ||
            (now.sa_handler != SIG_DFL && now.sa_handler != SIG_IGN && now.sa_flags != before[sig].sa_flags))
            printf("signal %d (%s): %s -> %s\n", sig, sig < SIGRTMIN ? strsignal(sig) : "realtime",
                   disposition(&before[sig], buf1, sizeof(buf1)), disposition(&now, buf2, sizeof(buf2)));
    }
    print_threads(self);
    fflush(stdout);

    /* A crash in the program itself, after the library started: the program's handler must run. */
    child = fork();
    if (child == 0) {
        volatile int *nowhere = NULL;
        *nowhere = 1;
        _exit(0);
    }
    waitpid(child, &status, 0);
    if (!(WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGSEGV))
        printf("crash handler: not reached (%s %d)\n", WIFSIGNALED(status) ? "signal" : "exit",
               WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    kmod_unref(ctx);
    return 0;
}
