/* udevd's pattern: the parent initialises libkmod (kmod_new, kmod_load_resources) and uses it, then forks
 * workers that go on using the same context without exec. Each worker walks every name (lookups,
 * paths, dependencies, options, modinfo, a dry-run probe plan) into a file of its own; the parent does
 * the same before and after. Prints one line per worker; a worker that has not finished after SECONDS
 * is killed and reported, so a hang fails instead of blocking.
 *
 * usage: libkmod-fork DIRNAME CONFIG-DIR OUT-DIR WORKERS SECONDS < NAMES
 * Writes OUT-DIR/parent-before, OUT-DIR/worker-N and OUT-DIR/parent-after. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <libkmod.h>

static char **names;
static int count;

static void read_names(void)
{
    char line[4096];
    int size = 0;
    while (fgets(line, sizeof(line), stdin)) {
        line[strcspn(line, "\n")] = 0;
        if (count == size)
            names = realloc(names, (size = size * 2 + 256) * sizeof(*names));
        names[count++] = strdup(line);
    }
}

static FILE *out;

static void print_action(struct kmod_module *m, bool install, const char *options)
{
    fprintf(out, "  probe %s %s %s\n", kmod_module_get_name(m), install ? "install" : "insert", options ? options : "");
}

/* Everything a worker asks about one name; every other module also gets its modinfo and symbols (file reads). */
static void walk(struct kmod_ctx *ctx, const char *path)
{
    int i;
    out = fopen(path, "w");
    if (!out) {
        perror(path);
        exit(2);
    }
    for (i = 0; i < count; i++) {
        struct kmod_list *list = NULL, *l, *d, *deps;
        int err = kmod_module_new_from_lookup(ctx, names[i], &list);
        fprintf(out, "%s: %d\n", names[i], err);
        kmod_list_foreach(l, list) {
            struct kmod_module *mod = kmod_module_get_module(l);
            const char *p = kmod_module_get_path(mod), *o = kmod_module_get_options(mod);
            fprintf(out, " %s %s %s\n", kmod_module_get_name(mod), p ? p : "-", o ? o : "-");
            deps = kmod_module_get_dependencies(mod);
            kmod_list_foreach(d, deps) {
                struct kmod_module *dep = kmod_module_get_module(d);
                fprintf(out, "  dep %s\n", kmod_module_get_name(dep));
                kmod_module_unref(dep);
            }
            kmod_module_unref_list(deps);
            if (i % 2 == 0) {
                struct kmod_list *info = NULL, *symbols = NULL;
                int n = kmod_module_get_info(mod, &info);
                fprintf(out, "  info %d", n);
                kmod_list_foreach(d, info)
                    fprintf(out, " %s", kmod_module_info_get_key(d));
                kmod_module_info_free_list(info);
                n = kmod_module_get_symbols(mod, &symbols);
                fprintf(out, "\n  symbols %d", n);
                kmod_list_foreach(d, symbols)
                    fprintf(out, " %s", kmod_module_symbol_get_symbol(d));
                fprintf(out, "\n");
                kmod_module_symbols_free_list(symbols);
            }
            err = kmod_module_probe_insert_module(mod, KMOD_PROBE_DRY_RUN | KMOD_PROBE_IGNORE_LOADED, NULL, NULL, NULL, print_action);
            fprintf(out, "  probe: %d\n", err);
            kmod_module_unref(mod);
        }
        kmod_module_unref_list(list);
    }
    fclose(out);
}

int main(int argc, char **argv)
{
    const char *config[] = { NULL, NULL };
    char path[4096];
    struct kmod_ctx *ctx;
    pid_t *pids;
    int workers, seconds, i, failed = 0;
    time_t deadline;

    if (argc != 6) {
        fprintf(stderr, "usage: libkmod-fork DIRNAME CONFIG-DIR OUT-DIR WORKERS SECONDS < NAMES\n");
        return 2;
    }
    config[0] = argv[2];
    workers = atoi(argv[4]);
    seconds = atoi(argv[5]);
    read_names();
    ctx = kmod_new(argv[1], config);
    if (!ctx || kmod_load_resources(ctx) != 0) {
        fprintf(stderr, "libkmod-fork: cannot initialise libkmod\n");
        return 1;
    }
    snprintf(path, sizeof(path), "%s/parent-before", argv[3]);
    walk(ctx, path);

    fflush(NULL);
    pids = calloc(workers, sizeof(*pids));
    for (i = 0; i < workers; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            snprintf(path, sizeof(path), "%s/worker-%d", argv[3], i);
            walk(ctx, path);
            kmod_unref(ctx);
            exit(0);
        }
    }

    deadline = time(NULL) + seconds;
    for (i = 0; i < workers; i++) {
        int status = 0;
        pid_t done;
        while ((done = waitpid(pids[i], &status, WNOHANG)) == 0 && time(NULL) < deadline)
            usleep(20000);
        if (done == 0) {
            kill(pids[i], SIGKILL);
            waitpid(pids[i], &status, 0);
            printf("worker %d: hung\n", i);
            failed = 1;
        } else if (WIFEXITED(status)) {
            printf("worker %d: exit %d\n", i, WEXITSTATUS(status));
            failed |= WEXITSTATUS(status) != 0;
        } else {
            printf("worker %d: signal %d\n", i, WTERMSIG(status));
            failed = 1;
        }
    }

    snprintf(path, sizeof(path), "%s/parent-after", argv[3]);
    walk(ctx, path);
    kmod_unref(ctx);
    return failed;
}
