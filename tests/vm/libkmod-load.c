/* Loads and removes modules through libkmod in the VM and prints what the library answers, so that the
 * same program linked against Debian's libkmod and against ModKit's libkmod.so.2 can be compared line for
 * line (tests/vm/scenarios/libkmod.sh). Uses the default module directory (/lib/modules/`uname -r`) and
 * configuration (/etc/modprobe.d ...), as systemd and udevd do. Never prints a pointer.
 *
 * usage: libkmod-load probe FLAGS NAME [OPTIONS]   kmod_module_new_from_lookup + probe_insert_module
 *        libkmod-load insert PATH-OR-NAME [OPTIONS] kmod_module_new_from_path/name + insert_module
 *        libkmod-load remove FLAGS NAME...          kmod_module_remove_module (FLAGS: force, nolog or -)
 *        libkmod-load state NAME...                 initstate, refcnt, holders, size, sections, info
 *        libkmod-load loaded                        kmod_module_new_from_loaded and the same getters
 *        libkmod-load info PATH                     kmod_module_get_info of a module file
 *        libkmod-load time N NAME                   N times: probe_insert NAME, then remove what is loaded;
 *                                                   prints the times (not compared)
 * FLAGS for probe: a comma-separated list of ignore-loaded, fail-on-loaded, blacklist, blacklist-all,
 * alias-only, dry-run, ignore-command, force, or "-". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libkmod.h>

static const char *str(const char *s) { return s ? s : "(null)"; }

static void log_to_stdout(void *data, int priority, const char *file, int line, const char *fn,
                          const char *format, va_list args)
{
    (void)data; (void)file; (void)line; (void)fn;
    printf("log %d: ", priority);
    vprintf(format, args);
}

static struct kmod_ctx *context(void)
{
    struct kmod_ctx *ctx = kmod_new(NULL, NULL);
    if (!ctx) {
        printf("kmod_new failed\n");
        exit(1);
    }
    kmod_set_log_fn(ctx, log_to_stdout, NULL);
    return ctx;
}

static unsigned int probe_flags(const char *list)
{
    static const struct { const char *name; unsigned int flag; } known[] = {
        { "ignore-loaded", KMOD_PROBE_IGNORE_LOADED }, { "fail-on-loaded", KMOD_PROBE_FAIL_ON_LOADED },
        { "blacklist", KMOD_PROBE_APPLY_BLACKLIST }, { "blacklist-all", KMOD_PROBE_APPLY_BLACKLIST_ALL },
        { "alias-only", KMOD_PROBE_APPLY_BLACKLIST_ALIAS_ONLY }, { "dry-run", KMOD_PROBE_DRY_RUN },
        { "ignore-command", KMOD_PROBE_IGNORE_COMMAND },
        { "force", KMOD_PROBE_FORCE_VERMAGIC | KMOD_PROBE_FORCE_MODVERSION },
    };
    unsigned int flags = 0;
    char *copy = strdup(list), *word, *save = NULL;
    for (word = strtok_r(copy, ",", &save); word; word = strtok_r(NULL, ",", &save)) {
        size_t i;
        for (i = 0; i < sizeof(known) / sizeof(known[0]) && strcmp(known[i].name, word) != 0; i++)
            ;
        if (i < sizeof(known) / sizeof(known[0]))
            flags |= known[i].flag;
        else if (strcmp(word, "-") != 0) {
            printf("unknown flag %s\n", word);
            exit(2);
        }
    }
    free(copy);
    return flags;
}

static void print_action(struct kmod_module *m, bool install, const char *options)
{
    printf("  action %s %s options=%s\n", kmod_module_get_name(m), install ? "install" : "insert", str(options));
}

static void print_names(const char *what, struct kmod_list *list)
{
    struct kmod_list *l;
    printf("  %s:", what);
    kmod_list_foreach(l, list) {
        struct kmod_module *m = kmod_module_get_module(l);
        printf(" %s", kmod_module_get_name(m));
        kmod_module_unref(m);
    }
    printf("\n");
}

static void print_info(struct kmod_module *mod)
{
    struct kmod_list *info = NULL, *l;
    int n = kmod_module_get_info(mod, &info);
    printf("  info: %d\n", n);
    kmod_list_foreach(l, info)
        printf("    %s=%s\n", kmod_module_info_get_key(l), str(kmod_module_info_get_value(l)));
    kmod_module_info_free_list(info);
}

static void print_state(struct kmod_module *mod, int with_info)
{
    struct kmod_list *holders, *sections, *l;
    int state = kmod_module_get_initstate(mod);
    printf("%s: initstate=%d (%s) refcnt=%d size=%ld path=%s\n", kmod_module_get_name(mod), state,
           state < 0 ? "error" : str(kmod_module_initstate_str(state)), kmod_module_get_refcnt(mod),
           kmod_module_get_size(mod), str(kmod_module_get_path(mod)));
    holders = kmod_module_get_holders(mod);
    print_names("holders", holders);
    kmod_module_unref_list(holders);
    sections = kmod_module_get_sections(mod);
    printf("  sections:");
    kmod_list_foreach(l, sections)
        printf(" %s=%#lx", kmod_module_section_get_name(l), kmod_module_section_get_address(l));
    printf("\n");
    kmod_module_section_free_list(sections);
    if (with_info)
        print_info(mod);
}

static int probe(const char *flag_list, const char *name, const char *options)
{
    struct kmod_ctx *ctx = context();
    struct kmod_list *found = NULL, *l;
    unsigned int flags = probe_flags(flag_list);
    int err = kmod_module_new_from_lookup(ctx, name, &found);
    printf("lookup %s: %d\n", name, err);
    kmod_list_foreach(l, found) {
        struct kmod_module *m = kmod_module_get_module(l);
        err = kmod_module_probe_insert_module(m, flags, options, NULL, NULL, print_action);
        printf("probe %s flags=%#x options=%s: %d\n", kmod_module_get_name(m), flags, str(options), err);
        kmod_module_unref(m);
    }
    kmod_module_unref_list(found);
    kmod_unref(ctx);
    return 0;
}

static int insert(const char *what, const char *options)
{
    struct kmod_ctx *ctx = context();
    struct kmod_module *mod = NULL;
    int err = what[0] == '/' ? kmod_module_new_from_path(ctx, what, &mod) : kmod_module_new_from_name(ctx, what, &mod);
    printf("new %s: %d\n", what, err);
    if (err == 0) {
        printf("insert %s options=%s: %d\n", kmod_module_get_name(mod), str(options),
               kmod_module_insert_module(mod, 0, options));
        print_state(mod, 0);
        kmod_module_unref(mod);
    }
    kmod_unref(ctx);
    return 0;
}

static int remove_modules(const char *flag_list, char **names, int count)
{
    struct kmod_ctx *ctx = context();
    unsigned int flags = 0;
    int i;
    if (strstr(flag_list, "force"))
        flags |= KMOD_REMOVE_FORCE;
    if (strstr(flag_list, "nolog"))
        flags |= KMOD_REMOVE_NOLOG;
    for (i = 0; i < count; i++) {
        struct kmod_module *mod = NULL;
        int err = kmod_module_new_from_name(ctx, names[i], &mod);
        printf("new %s: %d\n", names[i], err);
        if (err == 0) {
            printf("remove %s flags=%#x: %d\n", names[i], flags, kmod_module_remove_module(mod, flags));
            kmod_module_unref(mod);
        }
    }
    kmod_unref(ctx);
    return 0;
}

static int state(char **names, int count)
{
    struct kmod_ctx *ctx = context();
    int i;
    for (i = 0; i < count; i++) {
        struct kmod_module *mod = NULL;
        int err = kmod_module_new_from_name(ctx, names[i], &mod);
        if (err != 0) {
            printf("new %s: %d\n", names[i], err);
            continue;
        }
        print_state(mod, 1);
        kmod_module_unref(mod);
    }
    kmod_unref(ctx);
    return 0;
}

static int loaded(void)
{
    struct kmod_ctx *ctx = context();
    struct kmod_list *list = NULL, *l;
    int err = kmod_module_new_from_loaded(ctx, &list);
    printf("new_from_loaded: %d\n", err);
    kmod_list_foreach(l, list) {
        struct kmod_module *m = kmod_module_get_module(l);
        print_state(m, 0);
        kmod_module_unref(m);
    }
    kmod_module_unref_list(list);
    kmod_unref(ctx);
    return 0;
}

static int info(const char *path)
{
    struct kmod_ctx *ctx = context();
    struct kmod_module *mod = NULL;
    int err = kmod_module_new_from_path(ctx, path, &mod);
    printf("new %s: %d\n", path, err);
    if (err == 0) {
        printf("name=%s\n", kmod_module_get_name(mod));
        print_info(mod);
        kmod_module_unref(mod);
    }
    kmod_unref(ctx);
    return 0;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Removes every loaded module, newest first, until none is left (or nothing more can go). */
static int remove_all(struct kmod_ctx *ctx)
{
    int removed, total = 0;
    do {
        struct kmod_list *list = NULL, *l;
        removed = 0;
        kmod_module_new_from_loaded(ctx, &list);
        kmod_list_foreach(l, list) {
            struct kmod_module *m = kmod_module_get_module(l);
            if (kmod_module_remove_module(m, KMOD_REMOVE_NOLOG) == 0)
                removed++;
            kmod_module_unref(m);
        }
        kmod_module_unref_list(list);
        total += removed;
    } while (removed > 0);
    return total;
}

static int timed(int runs, const char *name)
{
    double start = now_ms(), first = 0, load = 0, unload = 0;
    struct kmod_ctx *ctx = kmod_new(NULL, NULL);
    int i, loaded_count = 0, removed = 0;
    for (i = 0; i < runs; i++) {
        struct kmod_list *found = NULL, *l;
        double t0 = now_ms(), t1, t2;
        kmod_module_new_from_lookup(ctx, name, &found);
        kmod_list_foreach(l, found) {
            struct kmod_module *m = kmod_module_get_module(l);
            kmod_module_probe_insert_module(m, 0, NULL, NULL, NULL, NULL);
            kmod_module_unref(m);
        }
        kmod_module_unref_list(found);
        t1 = now_ms();
        removed = remove_all(ctx);
        t2 = now_ms();
        if (i == 0)
            first = t1 - start;
        else {
            load += t1 - t0;
            unload += t2 - t1;
        }
        loaded_count = removed;
    }
    kmod_unref(ctx);
    printf("first probe (with kmod_new) %.1f ms; then per run: probe_insert %.1f ms, remove %.1f ms (%d modules, %d runs)\n",
           first, runs > 1 ? load / (runs - 1) : 0, runs > 1 ? unload / (runs - 1) : 0, loaded_count, runs - 1);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "probe") == 0)
        return probe(argv[2], argv[3], argc > 4 ? argv[4] : NULL);
    if (argc >= 3 && strcmp(argv[1], "insert") == 0)
        return insert(argv[2], argc > 3 ? argv[3] : NULL);
    if (argc >= 4 && strcmp(argv[1], "remove") == 0)
        return remove_modules(argv[2], argv + 3, argc - 3);
    if (argc >= 3 && strcmp(argv[1], "state") == 0)
        return state(argv + 2, argc - 2);
    if (argc == 2 && strcmp(argv[1], "loaded") == 0)
        return loaded();
    if (argc == 3 && strcmp(argv[1], "info") == 0)
        return info(argv[2]);
    if (argc == 4 && strcmp(argv[1], "time") == 0)
        return timed(atoi(argv[2]), argv[3]);
    fprintf(stderr, "usage: see the comment at the top of libkmod-load.c\n");
    return 2;
}
