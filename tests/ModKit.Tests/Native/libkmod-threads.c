/* Several threads, each with its own kmod_ctx, walking the same names at the same time (libkmod is not
 * thread safe within a context, but independent contexts are). Each thread writes what it sees into a
 * file of its own.
 *
 * usage: libkmod-threads DIRNAME CONFIG-DIR OUT-DIR THREADS < NAMES
 * Writes OUT-DIR/thread-N; prints one line per thread. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libkmod.h>

static char **names;
static int count;
static const char *dirname, *outdir;
static const char *config[2];

static void print_action(struct kmod_module *m, bool install, const char *options)
{
    (void)m; (void)install; (void)options;
}

static void *walk(void *arg)
{
    long n = (long)arg;
    char path[4096];
    struct kmod_ctx *ctx = kmod_new(dirname, config);
    FILE *out;
    int i;

    snprintf(path, sizeof(path), "%s/thread-%ld", outdir, n);
    out = fopen(path, "w");
    if (!ctx || !out || kmod_load_resources(ctx) != 0)
        return (void *)1;
    /* each thread starts at another place in the list, so that they ask about different modules at once */
    for (i = 0; i < count; i++) {
        const char *name = names[(i + n * count / 7) % count];
        struct kmod_list *list = NULL, *l, *d, *deps;
        int err = kmod_module_new_from_lookup(ctx, name, &list);
        fprintf(out, "%s: %d\n", name, err);
        kmod_list_foreach(l, list) {
            struct kmod_module *mod = kmod_module_get_module(l);
            const char *p = kmod_module_get_path(mod);
            struct kmod_list *info = NULL;
            fprintf(out, " %s %s\n", kmod_module_get_name(mod), p ? p : "-");
            deps = kmod_module_get_dependencies(mod);
            kmod_list_foreach(d, deps) {
                struct kmod_module *dep = kmod_module_get_module(d);
                fprintf(out, "  dep %s\n", kmod_module_get_name(dep));
                kmod_module_unref(dep);
            }
            kmod_module_unref_list(deps);
            if (i % 8 == 0) {
                fprintf(out, "  info %d\n", kmod_module_get_info(mod, &info));
                kmod_module_info_free_list(info);
            }
            fprintf(out, "  probe %d\n", kmod_module_probe_insert_module(mod, KMOD_PROBE_DRY_RUN | KMOD_PROBE_IGNORE_LOADED,
                                                                         NULL, NULL, NULL, print_action));
            kmod_module_unref(mod);
        }
        kmod_module_unref_list(list);
    }
    fclose(out);
    kmod_unref(ctx);
    return NULL;
}

int main(int argc, char **argv)
{
    char line[4096];
    pthread_t *threads;
    int size = 0, n, i, failed = 0;

    if (argc != 5) {
        fprintf(stderr, "usage: libkmod-threads DIRNAME CONFIG-DIR OUT-DIR THREADS < NAMES\n");
        return 2;
    }
    dirname = argv[1];
    config[0] = argv[2];
    outdir = argv[3];
    n = atoi(argv[4]);
    while (fgets(line, sizeof(line), stdin)) {
        line[strcspn(line, "\n")] = 0;
        if (count == size)
            names = realloc(names, (size = size * 2 + 256) * sizeof(*names));
        names[count++] = strdup(line);
    }
    threads = calloc(n, sizeof(*threads));
    for (i = 0; i < n; i++)
        pthread_create(&threads[i], NULL, walk, (void *)(long)i);
    for (i = 0; i < n; i++) {
        void *result;
        pthread_join(threads[i], &result);
        printf("thread %d: %s\n", i, result ? "failed" : "done");
        failed |= result != NULL;
    }
    return failed;
}
