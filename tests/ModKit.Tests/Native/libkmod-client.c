/* Exercises libkmod's API as its consumers do and prints what it sees, so that the output with ModKit's
 * libkmod.so.2 can be compared byte for byte with the output with kmod's own library. Never prints a
 * pointer: object identity is printed as "same"/"different".
 *
 * usage: libkmod-client DIRNAME CONFIG-DIR SCRATCH-DIRNAME < NAMES
 *   DIRNAME          a module directory (kmod_new's dirname)
 *   CONFIG-DIR       a modprobe.d folder (kmod_new's config_paths)
 *   SCRATCH-DIRNAME  a copy of DIRNAME's index files that may be touched (kmod_validate_resources)
 *   NAMES            module names and aliases, one a line
 * Uses only the functions ModKit.Native exports so far (libkmod.symbols). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include <dirent.h>
/* kmod_module_get_filtered_blacklist is deprecated, and still exported and used */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <libkmod.h>

#ifdef CLIENT_WEAKDEPS
/* kmod 33's LIBKMOD_33, not in kmod 30's header: built with -DCLIENT_WEAKDEPS against libkmod 34.2 */
struct kmod_config_iter *kmod_config_get_weakdeps(const struct kmod_ctx *ctx);
int kmod_module_get_weakdeps(const struct kmod_module *mod, struct kmod_list **weak);
#endif

static const char *str(const char *s) { return s ? s : "(null)"; }

static void log_to_stdout(void *data, int priority, const char *file, int line, const char *fn,
                          const char *format, va_list args)
{
    char text[4096];
    (void)file; (void)line; (void)fn;
    vsnprintf(text, sizeof(text), format, args);
    printf("log[%s] %d: %s", (const char *)data, priority, text);
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

static void print_action(struct kmod_module *m, bool install, const char *options)
{
    printf("  action %s %s options=%s\n", kmod_module_get_name(m), install ? "install" : "insert", options);
}

static int run_install(struct kmod_module *m, const char *cmd, void *data)
{
    printf("  run_install %s '%s' data=%s\n", kmod_module_get_name(m), cmd, (const char *)data);
    return 7;
}

static void print_module(struct kmod_module *mod)
{
    struct kmod_list *deps, *pre = NULL, *post = NULL, *l;
    int err;

    printf("  name=%s path=%s\n", kmod_module_get_name(mod), str(kmod_module_get_path(mod)));
    printf("  options=%s\n", str(kmod_module_get_options(mod)));
    printf("  install=%s\n", str(kmod_module_get_install_commands(mod)));
    printf("  remove=%s\n", str(kmod_module_get_remove_commands(mod)));
    deps = kmod_module_get_dependencies(mod);
    print_names("deps", deps);
    /* the reverse walk: kmod_list_last and kmod_list_prev */
    printf("  deps reversed:");
    kmod_list_foreach_reverse(l, deps) {
        struct kmod_module *m = kmod_module_get_module(l);
        printf(" %s", kmod_module_get_name(m));
        kmod_module_unref(m);
    }
    printf("\n");
    kmod_module_unref_list(deps);
    /* the load plan, never loading anything (dry run), with and without what the kernel has */
    err = kmod_module_probe_insert_module(mod, KMOD_PROBE_DRY_RUN | KMOD_PROBE_IGNORE_LOADED, "extra=1", NULL, NULL, print_action);
    printf("  probe dry run=%d\n", err);
    err = kmod_module_probe_insert_module(mod, KMOD_PROBE_DRY_RUN | KMOD_PROBE_APPLY_BLACKLIST_ALL | KMOD_PROBE_IGNORE_COMMAND, NULL, NULL, NULL, print_action);
    printf("  probe dry run, blacklist all, no commands=%d\n", err);
    err = kmod_module_probe_insert_module(mod, KMOD_PROBE_DRY_RUN | KMOD_PROBE_APPLY_BLACKLIST_ALIAS_ONLY | KMOD_PROBE_FAIL_ON_LOADED, NULL, NULL, NULL, print_action);
    printf("  probe dry run, blacklist alias only, fail on loaded=%d\n", err);
#ifdef CLIENT_WEAKDEPS
    {
        struct kmod_list *weak = NULL;
        err = kmod_module_get_weakdeps(mod, &weak);
        printf("  weakdeps=%d\n", err);
        print_names("weak", weak);
        kmod_module_unref_list(weak);
    }
#endif
    err = kmod_module_get_softdeps(mod, &pre, &post);
    printf("  softdeps=%d\n", err);
    print_names("pre", pre);
    print_names("post", post);
    kmod_module_unref_list(pre);
    kmod_module_unref_list(post);
}

static void lookups(struct kmod_ctx *ctx, char **names, int count, int details)
{
    for (int i = 0; i < count; i++) {
        struct kmod_list *list = NULL, *l;
        struct kmod_module *byname = NULL;
        int err = kmod_module_new_from_lookup(ctx, names[i], &list);
        printf("lookup %s: %d\n", names[i], err);
        kmod_list_foreach(l, list) {
            struct kmod_module *mod = kmod_module_get_module(l);
            if (details)
                print_module(mod);
            else
                printf("  name=%s path=%s\n", kmod_module_get_name(mod), str(kmod_module_get_path(mod)));
            kmod_module_unref(mod);
        }
        if (details && list != NULL) {
            struct kmod_list *filtered = NULL;
            for (int filter = 0; filter <= 3; filter++) {
                char what[32];
                err = kmod_module_apply_filter(ctx, filter, list, &filtered);
                snprintf(what, sizeof(what), "filter %d=%d", filter, err);
                print_names(what, filtered);
                kmod_module_unref_list(filtered);
                filtered = NULL;
            }
            err = kmod_module_get_filtered_blacklist(ctx, list, &filtered);
            printf("  blacklist filter=%d\n", err);
            print_names("not blacklisted", filtered);
            kmod_module_unref_list(filtered);
        }
        err = kmod_module_new_from_name_lookup(ctx, names[i], &byname);
        printf("  name_lookup=%d %s\n", err, byname ? kmod_module_get_name(byname) : "(none)");
        kmod_module_unref(byname);
        kmod_module_unref_list(list);
    }
}

/* what the running kernel says: /proc/modules and /sys/module */
static void kernel_state(struct kmod_ctx *ctx, const char *name)
{
    struct kmod_module *mod = NULL;
    struct kmod_list *holders;
    int state;

    kmod_module_new_from_name(ctx, name, &mod);
    state = kmod_module_get_initstate(mod);
    printf("state %s: %d %s refcnt=%d size=%ld\n", name, state, str(kmod_module_initstate_str(state)),
           kmod_module_get_refcnt(mod), kmod_module_get_size(mod));
    holders = kmod_module_get_holders(mod);
    print_names("holders", holders);
    kmod_module_unref_list(holders);
    holders = kmod_module_get_sections(mod);
    printf("  sections:");
    for (struct kmod_list *l = holders; l != NULL; l = kmod_list_next(holders, l))
        printf(" %s=%#lx", kmod_module_section_get_name(l), kmod_module_section_get_address(l));
    printf("\n");
    kmod_module_section_free_list(holders);
    kmod_module_unref(mod);
}

static void config_dump(const char *kind, struct kmod_config_iter *iter)
{
    printf("config %s: before next key=%s\n", kind, str(kmod_config_iter_get_key(iter)));
    while (kmod_config_iter_next(iter))
        printf("  %s %s\n", kmod_config_iter_get_key(iter), str(kmod_config_iter_get_value(iter)));
    printf("  after the end: %s", str(kmod_config_iter_get_key(iter)));
    printf(" %s", str(kmod_config_iter_get_value(iter)));
    printf(" next=%d", kmod_config_iter_next(iter));
    printf(" then %s\n", str(kmod_config_iter_get_key(iter)));
    kmod_config_iter_free_iter(iter);
}

/* every index, as modprobe -c dumps the aliases; through stdout's descriptor */
static void dump_indexes(struct kmod_ctx *ctx, const char *how)
{
    for (int type = -1; type <= KMOD_INDEX_MODULES_BUILTIN + 1; type++) {
        int err;
        printf("dump %s %d:\n", how, type);
        fflush(stdout);
        err = kmod_dump_index(ctx, type, STDOUT_FILENO);
        printf("dump %s %d: %d\n", how, type, err);
    }
    printf("dump NULL: %d\n", kmod_dump_index(NULL, 0, STDOUT_FILENO));
}

/* what the module's file says: modinfo, modversions, exports, needed symbols */
static void elf_data(struct kmod_ctx *ctx, const char *name)
{
    struct kmod_module *mod = NULL;
    struct kmod_list *list = NULL, *l;
    int count;

    if (kmod_module_new_from_name_lookup(ctx, name, &mod) < 0 || mod == NULL)
        return;
    count = kmod_module_get_info(mod, &list);
    printf("info %s: %d\n", name, count);
    kmod_list_foreach(l, list)
        printf("  %s=%s\n", kmod_module_info_get_key(l), kmod_module_info_get_value(l));
    kmod_module_info_free_list(list);
    list = NULL;
    count = kmod_module_get_versions(mod, &list);
    printf("versions %s: %d\n", name, count);
    kmod_list_foreach(l, list)
        printf("  %#llx %s\n", (unsigned long long)kmod_module_version_get_crc(l), kmod_module_version_get_symbol(l));
    kmod_module_versions_free_list(list);
    list = NULL;
    count = kmod_module_get_symbols(mod, &list);
    printf("symbols %s: %d\n", name, count);
    kmod_list_foreach(l, list)
        printf("  %#llx %s\n", (unsigned long long)kmod_module_symbol_get_crc(l), kmod_module_symbol_get_symbol(l));
    kmod_module_symbols_free_list(list);
    list = NULL;
    count = kmod_module_get_dependency_symbols(mod, &list);
    printf("dependency symbols %s: %d\n", name, count);
    kmod_list_foreach(l, list) {
        /* dracut-install reads these with kmod_module_symbol_get_symbol: bind character first */
        printf("  %#llx %c %s %s\n", (unsigned long long)kmod_module_dependency_symbol_get_crc(l),
               kmod_module_dependency_symbol_get_bind(l) ? kmod_module_dependency_symbol_get_bind(l) : '0',
               kmod_module_dependency_symbol_get_symbol(l), kmod_module_symbol_get_symbol(l));
    }
    kmod_module_dependency_symbols_free_list(list);
    kmod_module_unref(mod);
}

/* whether this process may load modules: then the insert and remove calls are left out */
static int can_load_modules(void)
{
    char line[256];
    unsigned long long caps = 0;
    FILE *f = fopen("/proc/self/status", "re");
    while (f && fgets(line, sizeof(line), f))
        if (sscanf(line, "CapEff: %llx", &caps) == 1)
            break;
    if (f)
        fclose(f);
    return (caps >> 16) & 1; /* CAP_SYS_MODULE */
}

static void insert_remove(struct kmod_ctx *ctx, const char *scratch)
{
    struct kmod_module *mod = NULL;
    char path[4096];
    FILE *f;

    kmod_set_log_priority(ctx, 6);
    /* calls that never load anything: no file, an empty file, a module that is not loaded */
    kmod_module_new_from_name(ctx, "nonexistent", &mod);
    printf("insert nonexistent: %d\n", kmod_module_insert_module(mod, 0, NULL));
    printf("remove nonexistent: %d\n", kmod_module_remove_module(mod, 0));
    printf("remove nonexistent quietly: %d\n", kmod_module_remove_module(mod, KMOD_REMOVE_NOLOG | KMOD_REMOVE_FORCE));
    kmod_module_unref(mod);
    snprintf(path, sizeof(path), "%s/modkit_empty_test.ko", scratch);
    f = fopen(path, "w");
    if (f)
        fclose(f);
    mod = NULL;
    printf("from_path empty file: %d\n", kmod_module_new_from_path(ctx, path, &mod));
    printf("insert empty file: %d\n", kmod_module_insert_module(mod, 0, "foo=1"));
    printf("insert empty file forced: %d\n", kmod_module_insert_module(mod, KMOD_INSERT_FORCE_VERMAGIC | KMOD_INSERT_FORCE_MODVERSION, NULL));
    kmod_module_unref(mod);
    printf("insert/remove NULL: %d %d\n", kmod_module_insert_module(NULL, 0, NULL), kmod_module_remove_module(NULL, 0));
    /* install commands only: run through the program's callback, or the shell */
    mod = NULL;
    {
        struct kmod_list *found = NULL;
        kmod_module_new_from_lookup(ctx, "dummy0", &found);
        mod = kmod_module_get_module(found);
        kmod_module_unref_list(found);
    }
    printf("probe dummy0 with run_install: %d\n",
           kmod_module_probe_insert_module(mod, KMOD_PROBE_IGNORE_LOADED, "a=b", run_install, "data", print_action));
    printf("probe dummy0 with the shell: %d\n", kmod_module_probe_insert_module(mod, KMOD_PROBE_IGNORE_LOADED, NULL, NULL, NULL, NULL));
    kmod_module_unref(mod);
    kmod_module_new_from_name(ctx, "pcspkr", &mod);
    printf("probe blacklisted: %d %d %d\n", kmod_module_probe_insert_module(mod, KMOD_PROBE_APPLY_BLACKLIST, NULL, NULL, NULL, NULL),
           kmod_module_probe_insert_module(mod, KMOD_PROBE_APPLY_BLACKLIST_ALL, NULL, NULL, NULL, NULL),
           kmod_module_probe_insert_module(mod, KMOD_PROBE_APPLY_BLACKLIST_ALIAS_ONLY | KMOD_PROBE_DRY_RUN, NULL, NULL, NULL, NULL));
    kmod_module_unref(mod);
    printf("probe NULL: %d\n", kmod_module_probe_insert_module(NULL, 0, NULL, NULL, NULL, NULL));
    kmod_set_log_priority(ctx, 3);
    if (can_load_modules()) {
        printf("inserting a real module: left out (this process has CAP_SYS_MODULE)\n");
        return;
    }
    kmod_module_new_from_name(ctx, "ext4", &mod);
    printf("insert ext4 without CAP_SYS_MODULE: %d\n", kmod_module_insert_module(mod, 0, "foo=1"));
    kmod_module_unref(mod);
}

static void touch(const char *path, long seconds)
{
    struct timeval times[2] = { { seconds, 0 }, { seconds, 0 } };
    if (utimes(path, times) != 0)
        printf("cannot touch %s: %s\n", path, strerror(errno));
}

int main(int argc, char **argv)
{
    const char *config[2] = { NULL, NULL };
    struct kmod_ctx *ctx;
    struct kmod_module *a = NULL, *b = NULL, *c = NULL;
    struct kmod_list *list = NULL, *list2 = NULL;
    char **names = NULL, line[4096];
    int count = 0, err;
    char path[4096];

    if (argc != 4) {
        fprintf(stderr, "usage: %s DIRNAME CONFIG-DIR SCRATCH-DIRNAME < NAMES\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    while (fgets(line, sizeof(line), stdin)) {
        line[strcspn(line, "\n")] = '\0';
        names = realloc(names, (count + 1) * sizeof(*names));
        names[count++] = strdup(line);
    }

    config[0] = argv[2];
    ctx = kmod_new(argv[1], config);
    if (ctx == NULL) {
        printf("kmod_new failed\n");
        return 1;
    }
    printf("dirname=%s\n", kmod_get_dirname(ctx));
    printf("log priority=%d userdata=%s\n", kmod_get_log_priority(ctx), kmod_get_userdata(ctx) ? "set" : "NULL");
    kmod_set_userdata(ctx, argv[0]);
    printf("userdata=%s\n", kmod_get_userdata(ctx) == argv[0] ? "same" : "different");

    /* kmod's default log function writes to stderr (compared too) */
    list = kmod_list_next(NULL, NULL);
    err = kmod_module_new_from_lookup(ctx, "ext4", &list);
    err = kmod_module_new_from_lookup(ctx, "ext4", &list);
    printf("lookup into a non-empty list: %d\n", err);
    kmod_module_unref_list(list);
    list = NULL;
    fflush(stdout);

    kmod_set_log_fn(ctx, log_to_stdout, "client");
    kmod_set_log_priority(ctx, 3);
    err = kmod_module_new_from_lookup(ctx, "ext4", NULL);
    printf("lookup into NULL: %d\n", err);
    printf("lookup of NULL: %d\n", kmod_module_new_from_lookup(ctx, NULL, &list));
    printf("lookup of bad[alias: %d\n", kmod_module_new_from_lookup(ctx, "bad[alias", &list));
    printf("validate before load: %d\n", kmod_validate_resources(ctx));

    /* the configuration, as modprobe -c walks it */
    config_dump("blacklist", kmod_config_get_blacklists(ctx));
    config_dump("install", kmod_config_get_install_commands(ctx));
    config_dump("remove", kmod_config_get_remove_commands(ctx));
    config_dump("alias", kmod_config_get_aliases(ctx));
    config_dump("options", kmod_config_get_options(ctx));
    config_dump("softdep", kmod_config_get_softdeps(ctx));
#ifdef CLIENT_WEAKDEPS
    config_dump("weakdep", kmod_config_get_weakdeps(ctx));
#endif
    printf("config NULL: %s %s %d\n", kmod_config_get_aliases(NULL) ? "?" : "NULL", str(kmod_config_iter_get_key(NULL)),
           kmod_config_iter_next(NULL));

    /* sharing and reference counts */
    kmod_module_new_from_name(ctx, "ext4", &a);
    kmod_module_new_from_name(ctx, "ext-4", &b);
    printf("ext4 by name twice: %s, name=%s\n", a == b ? "same" : "different", kmod_module_get_name(b));
    kmod_module_new_from_lookup(ctx, "ext4", &list);
    c = kmod_module_get_module(list);
    printf("ext4 by lookup: %s\n", c == a ? "same" : "different");
    printf("ref returns: %s\n", kmod_module_ref(a) == a ? "same" : "different");
    printf("unref: %s", kmod_module_unref(c) ? "alive" : "freed");
    printf(" %s", kmod_module_unref(b) ? "alive" : "freed");
    printf(" %s\n", kmod_module_unref(a) ? "alive" : "freed");
    printf("unref last: %s\n", kmod_module_unref(a) ? "alive" : "freed");
    printf("ctx ref: %s\n", kmod_ref(ctx) == ctx ? "same" : "different");
    printf("ctx unref with a module alive: %s\n", kmod_unref(ctx) ? "alive" : "freed");
    kmod_module_unref_list(list);
    list = NULL;
    printf("unref NULL: %s, unref_list NULL: %d, get_module NULL: %s\n", kmod_module_unref(NULL) ? "?" : "NULL",
           kmod_module_unref_list(NULL), kmod_module_get_module(NULL) ? "?" : "NULL");
    printf("get_name NULL: %s, get_path NULL: %s, deps NULL: %s\n", str(kmod_module_get_name(NULL)),
           str(kmod_module_get_path(NULL)), kmod_module_get_dependencies(NULL) ? "?" : "NULL");
    printf("new_from_name NULL: %d %d\n", kmod_module_new_from_name(ctx, NULL, &a), kmod_module_new_from_name(NULL, "x", &a));
    printf("softdeps NULL: %d\n", kmod_module_get_softdeps(NULL, &list, &list2));
    printf("filter NULL: %d %d %d\n", kmod_module_apply_filter(NULL, 1, NULL, &list), kmod_module_apply_filter(ctx, 1, NULL, NULL),
           kmod_module_apply_filter(ctx, 3, NULL, &list));
    printf("sections NULL: %s %s %#lx\n", kmod_module_get_sections(NULL) ? "?" : "NULL", str(kmod_module_section_get_name(NULL)),
           kmod_module_section_get_address(NULL));

    /* list walks on an empty list and a single-entry list */
    printf("list_last NULL: %s, list_prev NULL: %s\n", kmod_list_last(NULL) ? "?" : "NULL", kmod_list_prev(NULL, NULL) ? "?" : "NULL");
    kmod_module_new_from_lookup(ctx, "ext4", &list);
    printf("single: next=%s prev=%s last=%s\n", kmod_list_next(list, list) ? "node" : "NULL",
           kmod_list_prev(list, list) ? "node" : "NULL", kmod_list_last(list) == list ? "self" : "other");
    kmod_module_unref_list(list);
    list = NULL;

    /* paths: a module of the tree, the same again, another file of the same name, missing files */
    snprintf(path, sizeof(path), "%s/kernel/fs/ext4/ext4.ko", argv[1]);
    err = kmod_module_new_from_path(ctx, path, &a);
    printf("from_path ext4: %d path=%s\n", err, err == 0 ? str(kmod_module_get_path(a)) : "-");
    err = kmod_module_new_from_path(ctx, path, &b);
    printf("from_path ext4 again: %d %s\n", err, err == 0 && a == b ? "same" : "different");
    if (err == 0)
        kmod_module_unref(b);
    snprintf(path, sizeof(path), "%s/modules.dep", argv[3]);
    {
        char other[4096];
        snprintf(other, sizeof(other), "%s/ext4.ko", argv[3]);
        FILE *f = fopen(other, "w");
        if (f) fclose(f);
        err = kmod_module_new_from_path(ctx, other, &b);
        printf("from_path another ext4.ko: %d\n", err);
    }
    kmod_module_unref(a);
    err = kmod_module_new_from_path(ctx, "/nonexistent/foo.ko", &a);
    printf("from_path missing: %d\n", err);
    err = kmod_module_new_from_path(ctx, "/", &a);
    printf("from_path /: %d\n", err);
    err = kmod_module_new_from_name(ctx, "ext4", &a);
    printf("ext4 after free: path=%s\n", str(kmod_module_get_path(a)));
    kmod_module_unref(a);

    /* every name and alias, without the indexes loaded (read from the files), then loaded (mapped) */
    lookups(ctx, names, count, 1);
    dump_indexes(ctx, "read");
    for (int i = 0; i < count; i++)
        elf_data(ctx, names[i]);
    printf("elf NULL: %d %d %d %d\n", kmod_module_get_info(NULL, &list), kmod_module_get_versions(NULL, &list),
           kmod_module_get_symbols(NULL, &list), kmod_module_get_dependency_symbols(NULL, &list));
    printf("entries NULL: %s %s %s %s %s %d\n", str(kmod_module_info_get_key(NULL)), str(kmod_module_info_get_value(NULL)),
           str(kmod_module_version_get_symbol(NULL)), str(kmod_module_symbol_get_symbol(NULL)),
           str(kmod_module_dependency_symbol_get_symbol(NULL)), kmod_module_dependency_symbol_get_bind(NULL));
    err = kmod_load_resources(ctx);
    printf("load_resources: %d\n", err);
    printf("validate after load: %d\n", kmod_validate_resources(ctx));
    lookups(ctx, names, count, 0);
    dump_indexes(ctx, "mapped");
    kmod_unload_resources(ctx);
    printf("validate after unload: %d\n", kmod_validate_resources(ctx));
    printf("ctx unref: %s\n", kmod_unref(ctx) ? "alive" : "freed");

    /* resources of a scratch copy: changed indexes, changed configuration, missing indexes */
    config[0] = argv[2];
    ctx = kmod_new(argv[3], config);
    kmod_set_log_fn(ctx, log_to_stdout, "scratch");
    err = kmod_load_resources(ctx);
    printf("scratch load: %d validate: %d\n", err, kmod_validate_resources(ctx));
    snprintf(path, sizeof(path), "%s/modules.alias.bin", argv[3]);
    touch(path, 1000000000);
    printf("after an index changed: %d\n", kmod_validate_resources(ctx));
    kmod_unload_resources(ctx);
    err = kmod_load_resources(ctx);
    printf("reloaded: %d validate: %d\n", err, kmod_validate_resources(ctx));
    touch(argv[2], 1000000000);
    printf("after the configuration changed: %d\n", kmod_validate_resources(ctx));
    kmod_unref(ctx);
    snprintf(path, sizeof(path), "%s/modules.symbols.bin", argv[3]);
    unlink(path);
    ctx = kmod_new(argv[3], config);
    err = kmod_load_resources(ctx);
    printf("load with an index missing: %d validate: %d\n", err, kmod_validate_resources(ctx));
    printf("dump of a missing index: %d\n", kmod_dump_index(ctx, KMOD_INDEX_MODULES_SYMBOL, STDOUT_FILENO));
    kmod_unref(ctx);

    /* the running kernel's modules (the same /proc and /sys for both libraries) */
    config[0] = argv[2];
    ctx = kmod_new(argv[1], config);
    kmod_set_log_fn(ctx, log_to_stdout, "kernel");
    list = NULL;
    err = kmod_module_new_from_loaded(ctx, &list);
    printf("new_from_loaded: %d\n", err);
    print_names("loaded", list);
    kmod_module_unref_list(list);
    list = NULL;
    printf("new_from_loaded NULL: %d %d\n", kmod_module_new_from_loaded(NULL, &list), kmod_module_new_from_loaded(ctx, NULL));
    for (int state = -1; state <= 4; state++)
        printf("initstate_str %d: %s\n", state, str(kmod_module_initstate_str(state)));
    printf("NULL module: %d %d %ld %s\n", kmod_module_get_initstate(NULL), kmod_module_get_refcnt(NULL),
           kmod_module_get_size(NULL), kmod_module_get_holders(NULL) ? "?" : "NULL");
    {
        DIR *d = opendir("/sys/module");
        struct dirent *dent;
        while (d && (dent = readdir(d)) != NULL)
            if (dent->d_name[0] != '.')
                kernel_state(ctx, dent->d_name);
        if (d)
            closedir(d);
    }
    kernel_state(ctx, "ext4");
    kernel_state(ctx, "unix");
    insert_remove(ctx, argv[3]);
    kmod_unref(ctx);

    /* default dirname and configuration */
    ctx = kmod_new(NULL, NULL);
    printf("default ctx: %s\n", ctx ? "created" : "NULL");
    kmod_unref(ctx);
    ctx = kmod_new("relative/dir", NULL);
    {
        char cwd[4096];
        const char *d = kmod_get_dirname(ctx);
        if (getcwd(cwd, sizeof(cwd)) && strncmp(d, cwd, strlen(cwd)) == 0)
            printf("relative dirname: CWD%s\n", d + strlen(cwd));
        else
            printf("relative dirname: %s\n", d);
    }
    kmod_unref(ctx);
    return 0;
}
