/* systemd's PID 1 and udevd: libkmod is initialised first (kmod_new, with the signal mask the program
 * started with), and only then is SIGCHLD blocked in the main thread and read from a signalfd. A child's
 * exit must still reach that signalfd, whatever threads the library started meanwhile.
 * Prints "sigchld: received" or "sigchld: lost"; argument: the module directory. */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libkmod.h>

int main(int argc, char **argv)
{
    sigset_t empty, chld;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, NULL);
    const char *config = NULL;
    struct kmod_ctx *ctx = kmod_new(argc > 1 ? argv[1] : NULL, &config);
    if (ctx == NULL) {
        printf("kmod_new failed\n");
        return 1;
    }
    kmod_unref(ctx);

    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int fd = signalfd(-1, &chld, SFD_CLOEXEC);
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    struct pollfd p = { .fd = fd, .events = POLLIN };
    int ready = poll(&p, 1, 5000);
    printf("sigchld: %s\n", ready == 1 ? "received" : "lost");
    waitpid(child, NULL, 0);
    return ready == 1 ? 0 : 1;
}
