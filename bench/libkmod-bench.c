/* The in-process cost of libkmod's calls, timed inside one process with clock_gettime: whichever
 * libkmod.so.2 the loader gives (bench/libkmod.sh runs it on Debian's and on ModKit's).
 *
 * usage: libkmod-bench DIRNAME NAMES ALIASES
 *   NAMES    module names, one a line;  ALIASES  aliases, one a line
 * Prints one line per phase: "PHASE COUNT NS-PER-CALL" (wall time, CLOCK_MONOTONIC):
 *   first-context   kmod_new + kmod_load_resources + kmod_unref, the first in the process (ModKit's
 *                   runtime starts here)
 *   context         the same again
 *   name            kmod_module_new_from_name + kmod_module_get_path + unref, per module name
 *   alias           kmod_module_new_from_lookup + each module's path + unref, per alias
 *   dependencies    kmod_module_get_dependencies walked with each dependency's name, per module
 *   probe           a dry-run kmod_module_probe_insert_module (print_action), per module */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libkmod.h>

static char **read_lines(const char *path, int *count)
{
    char line[4096], **lines = NULL;
    int size = 0;
    FILE *f = fopen(path, "r");
    *count = 0;
    while (f && fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = 0;
        if (*count == size)
            lines = realloc(lines, (size = size * 2 + 256) * sizeof(*lines));
        lines[(*count)++] = strdup(line);
    }
    if (f)
        fclose(f);
    return lines;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static unsigned long sink;

static void print_action(struct kmod_module *m, bool install, const char *options)
{
    sink += strlen(kmod_module_get_name(m)) + install + (options ? 1 : 0);
}

static void report(const char *phase, int count, double start)
{
    printf("%s %d %.0f\n", phase, count, (now() - start) / count);
}

int main(int argc, char **argv)
{
    int names_count, aliases_count, i;
    char **names, **aliases;
    struct kmod_ctx *ctx;
    double start;

    if (argc != 4) {
        fprintf(stderr, "usage: libkmod-bench DIRNAME NAMES ALIASES\n");
        return 2;
    }
    names = read_lines(argv[2], &names_count);
    aliases = read_lines(argv[3], &aliases_count);

    for (i = 0; i < 2; i++) {
        start = now();
        ctx = kmod_new(argv[1], NULL);
        if (!ctx || kmod_load_resources(ctx) != 0)
            return 1;
        kmod_unref(ctx);
        report(i == 0 ? "first-context" : "context", 1, start);
    }

    ctx = kmod_new(argv[1], NULL);
    kmod_load_resources(ctx);

    start = now();
    for (i = 0; i < names_count; i++) {
        struct kmod_module *mod;
        if (kmod_module_new_from_name(ctx, names[i], &mod) == 0) {
            const char *path = kmod_module_get_path(mod);
            sink += path ? strlen(path) : 0;
            kmod_module_unref(mod);
        }
    }
    report("name", names_count, start);

    start = now();
    for (i = 0; i < aliases_count; i++) {
        struct kmod_list *list = NULL, *l;
        kmod_module_new_from_lookup(ctx, aliases[i], &list);
        kmod_list_foreach(l, list) {
            struct kmod_module *mod = kmod_module_get_module(l);
            const char *path = kmod_module_get_path(mod);
            sink += path ? strlen(path) : 0;
            kmod_module_unref(mod);
        }
        kmod_module_unref_list(list);
    }
    report("alias", aliases_count, start);

    start = now();
    for (i = 0; i < names_count; i++) {
        struct kmod_module *mod;
        struct kmod_list *deps, *l;
        if (kmod_module_new_from_name(ctx, names[i], &mod) != 0)
            continue;
        deps = kmod_module_get_dependencies(mod);
        kmod_list_foreach(l, deps) {
            struct kmod_module *dep = kmod_module_get_module(l);
            sink += strlen(kmod_module_get_name(dep));
            kmod_module_unref(dep);
        }
        kmod_module_unref_list(deps);
        kmod_module_unref(mod);
    }
    report("dependencies", names_count, start);

    start = now();
    for (i = 0; i < names_count; i++) {
        struct kmod_module *mod;
        if (kmod_module_new_from_name(ctx, names[i], &mod) != 0)
            continue;
        kmod_module_probe_insert_module(mod, KMOD_PROBE_DRY_RUN | KMOD_PROBE_IGNORE_LOADED, NULL, NULL, NULL, print_action);
        kmod_module_unref(mod);
    }
    report("probe", names_count, start);

    kmod_unref(ctx);
    return sink == 0;
}
