/* Every libkmod function with arguments a careless or hostile caller could pass: NULLs, empty strings,
 * names longer than PATH_MAX, bytes that are not UTF-8, unknown enum values, bad descriptors, non-empty
 * output lists. Each case runs in a child of its own (after the parent created a context, as udevd's
 * workers do), so that a crash ends only that case: one line per case, what the calls returned, or
 * "signal N". Strings are printed with their bytes escaped; pointers only as NULL or not.
 *
 * usage: libkmod-hostile DIRNAME */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#pragma GCC diagnostic ignored "-Wnonnull"
#include <libkmod.h>

static struct kmod_ctx *ctx;
static const char *dirname;
static char huge[70000];
static const char bytes[] = "\xff\xfe\xc3(ext4";

static void s(const char *what, const char *v)
{
    printf(" %s=", what);
    if (!v) {
        printf("NULL");
        return;
    }
    for (; *v; v++)
        printf((unsigned char)*v < 0x20 || (unsigned char)*v > 0x7e ? "\\x%02x" : "%c", (unsigned char)*v);
}

static void i(const char *what, long v) { printf(" %s=%ld", what, v); }
static void p(const char *what, const void *v) { printf(" %s=%s", what, v ? "ptr" : "NULL"); }

static void names(const char *what, struct kmod_list *list)
{
    struct kmod_list *l;
    int n = 0;
    kmod_list_foreach(l, list) {
        struct kmod_module *m = kmod_module_get_module(l);
        if (n++ < 3)
            s(what, kmod_module_get_name(m));
        kmod_module_unref(m);
    }
    i(what, n);
    kmod_module_unref_list(list);
}

static struct kmod_module *module(const char *name)
{
    struct kmod_module *m = NULL;
    kmod_module_new_from_name(ctx, name, &m);
    return m;
}

static void print_action(struct kmod_module *m, bool install, const char *options)
{
    s("action", kmod_module_get_name(m));
    i("install", install);
    printf(" options-length=%zu", options ? strlen(options) : 0);
}

static void one(int n)
{
    struct kmod_module *m = NULL, *ext4 = module("ext4");
    struct kmod_list *l = NULL, *l2 = NULL;
    const char *config_empty[] = { "", NULL }, *config_huge[] = { huge, NULL }, *config_bytes[] = { bytes, NULL };
    int fds[2];

    switch (n) {
    case 0: { struct kmod_ctx *c = kmod_new(NULL, NULL); p("new(NULL)", c); kmod_unref(c); break; }
    case 1: { struct kmod_ctx *c = kmod_new("", NULL); p("new('')", c); if (c) { s("dirname", kmod_get_dirname(c)); i("load", kmod_load_resources(c)); } break; }
    case 2: { struct kmod_ctx *c = kmod_new(huge, NULL); p("new(huge)", c); if (c) i("load", kmod_load_resources(c)); break; }
    case 3: { struct kmod_ctx *c = kmod_new(bytes, NULL); p("new(bytes)", c); if (c) { s("dirname", kmod_get_dirname(c)); i("load", kmod_load_resources(c)); } break; }
    case 4: { struct kmod_ctx *c = kmod_new(dirname, config_empty); p("config('')", c); if (c) names("lookup", (kmod_module_new_from_lookup(c, "ext4", &l), l)); break; }
    case 5: { struct kmod_ctx *c = kmod_new(dirname, config_huge); p("config(huge)", c); break; }
    case 6: { struct kmod_ctx *c = kmod_new(dirname, config_bytes); p("config(bytes)", c); break; }
    case 7: p("ref", kmod_ref(NULL)); p("unref", kmod_unref(NULL)); s("dirname", kmod_get_dirname(NULL));
            p("userdata", kmod_get_userdata(NULL)); kmod_set_userdata(NULL, ctx); i("priority", kmod_get_log_priority(NULL));
            kmod_set_log_priority(NULL, 7); kmod_set_log_fn(NULL, NULL, NULL); break;
    case 8: i("load", kmod_load_resources(NULL)); kmod_unload_resources(NULL); i("validate", kmod_validate_resources(NULL)); break;
    case 9: i("dump(NULL)", kmod_dump_index(NULL, KMOD_INDEX_MODULES_DEP, 1)); i("dump(99)", kmod_dump_index(ctx, 99, 1));
            i("dump(-1)", kmod_dump_index(ctx, -1, 1)); i("dump(fd -1)", kmod_dump_index(ctx, KMOD_INDEX_MODULES_ALIAS, -1)); break;
    case 10: pipe(fds); close(fds[0]); i("dump(no reader)", kmod_dump_index(ctx, KMOD_INDEX_MODULES_SYMBOL, fds[1])); break;
    case 11: p("blacklists", kmod_config_get_blacklists(NULL)); p("install", kmod_config_get_install_commands(NULL));
             p("remove", kmod_config_get_remove_commands(NULL)); p("aliases", kmod_config_get_aliases(NULL));
             p("options", kmod_config_get_options(NULL)); p("softdeps", kmod_config_get_softdeps(NULL));
             s("key", kmod_config_iter_get_key(NULL)); s("value", kmod_config_iter_get_value(NULL));
             i("next", kmod_config_iter_next(NULL)); kmod_config_iter_free_iter(NULL); break;
    case 12: i("name(NULL)", kmod_module_new_from_name(ctx, NULL, &m)); i("name(ctx NULL)", kmod_module_new_from_name(NULL, "ext4", &m));
             i("name(out NULL)", kmod_module_new_from_name(ctx, "ext4", NULL)); break;
    case 13: i("name('')", kmod_module_new_from_name(ctx, "", &m)); if (m) { s("name", kmod_module_get_name(m)); s("path", kmod_module_get_path(m)); } break;
    case 14: i("name(huge)", kmod_module_new_from_name(ctx, huge, &m)); if (m) { i("length", strlen(kmod_module_get_name(m))); s("path", kmod_module_get_path(m)); } break;
    case 15: i("name(bytes)", kmod_module_new_from_name(ctx, bytes, &m)); if (m) { s("name", kmod_module_get_name(m)); s("path", kmod_module_get_path(m)); } break;
    case 16: i("path(NULL)", kmod_module_new_from_path(ctx, NULL, &m)); i("path('')", kmod_module_new_from_path(ctx, "", &m));
             i("path(huge)", kmod_module_new_from_path(ctx, huge, &m)); i("path(bytes)", kmod_module_new_from_path(ctx, bytes, &m)); break;
    case 17: i("path(/dev/null)", kmod_module_new_from_path(ctx, "/dev/null", &m)); if (m) { s("name", kmod_module_get_name(m)); i("info", kmod_module_get_info(m, &l)); kmod_module_info_free_list(l); }
             break;
    case 18: i("path(/etc/passwd)", kmod_module_new_from_path(ctx, "/etc/passwd", &m)); if (m) { s("name", kmod_module_get_name(m)); i("info", kmod_module_get_info(m, &l));
             kmod_module_info_free_list(l); i("symbols", kmod_module_get_symbols(m, &l)); kmod_module_symbols_free_list(l);
             i("versions", kmod_module_get_versions(m, &l)); kmod_module_versions_free_list(l); } break;
    case 19: i("lookup(NULL)", kmod_module_new_from_lookup(ctx, NULL, &l)); i("lookup(out NULL)", kmod_module_new_from_lookup(ctx, "ext4", NULL));
             i("lookup(ctx NULL)", kmod_module_new_from_lookup(NULL, "ext4", &l)); break;
    case 20: i("lookup('')", kmod_module_new_from_lookup(ctx, "", &l)); names("found", l); l = NULL;
             i("lookup(huge)", kmod_module_new_from_lookup(ctx, huge, &l)); names("found", l); l = NULL;
             i("lookup(bytes)", kmod_module_new_from_lookup(ctx, bytes, &l)); names("found", l); break;
    case 21: i("lookup(*)", kmod_module_new_from_lookup(ctx, "*", &l)); names("found", l); l = NULL;
             i("lookup(pci:*)", kmod_module_new_from_lookup(ctx, "pci:*", &l)); names("found", l); l = NULL;
             i("lookup([)", kmod_module_new_from_lookup(ctx, "pci:v[", &l)); names("found", l); break;
    case 22: kmod_module_new_from_lookup(ctx, "ext4", &l); i("lookup(full list)", kmod_module_new_from_lookup(ctx, "xfs", &l)); names("found", l); break;
    case 23: i("name_lookup('')", kmod_module_new_from_name_lookup(ctx, "", &m)); p("mod", m);
             i("name_lookup(huge)", kmod_module_new_from_name_lookup(ctx, huge, &m)); p("mod", m);
             i("name_lookup(NULL)", kmod_module_new_from_name_lookup(ctx, NULL, &m)); break;
    case 24: i("loaded(NULL)", kmod_module_new_from_loaded(NULL, &l)); i("loaded(out NULL)", kmod_module_new_from_loaded(ctx, NULL)); break;
    case 25: s("name", kmod_module_get_name(NULL)); s("path", kmod_module_get_path(NULL)); s("options", kmod_module_get_options(NULL));
             s("install", kmod_module_get_install_commands(NULL)); s("remove", kmod_module_get_remove_commands(NULL));
             p("deps", kmod_module_get_dependencies(NULL)); p("module", kmod_module_get_module(NULL)); p("ref", kmod_module_ref(NULL));
             p("unref", kmod_module_unref(NULL)); i("unref_list", kmod_module_unref_list(NULL)); break;
    case 26: i("softdeps(NULL)", kmod_module_get_softdeps(NULL, &l, &l2)); i("softdeps(out NULL)", kmod_module_get_softdeps(ext4, NULL, NULL)); break;
    case 27: i("info(NULL)", kmod_module_get_info(NULL, &l)); i("info(out NULL)", kmod_module_get_info(ext4, NULL));
             i("versions(NULL)", kmod_module_get_versions(NULL, &l)); i("versions(out NULL)", kmod_module_get_versions(ext4, NULL));
             i("symbols(NULL)", kmod_module_get_symbols(NULL, &l)); i("symbols(out NULL)", kmod_module_get_symbols(ext4, NULL));
             i("depsyms(NULL)", kmod_module_get_dependency_symbols(NULL, &l)); i("depsyms(out NULL)", kmod_module_get_dependency_symbols(ext4, NULL)); break;
    case 28: kmod_module_info_free_list(NULL); kmod_module_versions_free_list(NULL); kmod_module_symbols_free_list(NULL);
             kmod_module_dependency_symbols_free_list(NULL); kmod_module_section_free_list(NULL);
             s("info key", kmod_module_info_get_key(NULL)); s("info value", kmod_module_info_get_value(NULL));
             s("version", kmod_module_version_get_symbol(NULL)); i("crc", (long)kmod_module_version_get_crc(NULL));
             s("symbol", kmod_module_symbol_get_symbol(NULL)); i("crc", (long)kmod_module_symbol_get_crc(NULL));
             s("depsym", kmod_module_dependency_symbol_get_symbol(NULL)); i("crc", (long)kmod_module_dependency_symbol_get_crc(NULL));
             i("bind", kmod_module_dependency_symbol_get_bind(NULL)); s("section", kmod_module_section_get_name(NULL));
             i("address", (long)kmod_module_section_get_address(NULL)); break;
    case 29: p("sections", kmod_module_get_sections(NULL)); p("holders", kmod_module_get_holders(NULL)); i("initstate", kmod_module_get_initstate(NULL));
             i("refcnt", kmod_module_get_refcnt(NULL)); i("size", kmod_module_get_size(NULL));
             s("state -1", kmod_module_initstate_str(-1)); s("state 99", kmod_module_initstate_str(99)); break;
    case 30: i("filter(ctx NULL)", kmod_module_apply_filter(NULL, KMOD_FILTER_BLACKLIST, NULL, &l)); i("filter(in NULL)", kmod_module_apply_filter(ctx, KMOD_FILTER_BLACKLIST, NULL, &l));
             p("out", l); i("filter(out NULL)", kmod_module_apply_filter(ctx, KMOD_FILTER_BUILTIN, NULL, NULL));
             i("blacklist(in NULL)", kmod_module_get_filtered_blacklist(ctx, NULL, &l2)); break;
    case 31: kmod_module_new_from_lookup(ctx, "ext4", &l); i("filter(255)", kmod_module_apply_filter(ctx, 255, l, &l2)); names("kept", l2); break;
    case 32: i("insert(NULL)", kmod_module_insert_module(NULL, 0, NULL)); i("remove(NULL)", kmod_module_remove_module(NULL, 0));
             i("probe(NULL)", kmod_module_probe_insert_module(NULL, KMOD_PROBE_DRY_RUN, NULL, NULL, NULL, NULL)); break;
    case 33: m = module("nonexistent_module"); i("insert(no path)", kmod_module_insert_module(m, 0, huge));
             i("remove(not loaded)", kmod_module_remove_module(m, 0xffff)); break;
    case 34: i("probe(huge options)", kmod_module_probe_insert_module(ext4, KMOD_PROBE_DRY_RUN | KMOD_PROBE_IGNORE_LOADED, huge, NULL, NULL, print_action)); break;
    case 35: i("probe(all flags)", kmod_module_probe_insert_module(ext4, 0xffffffffu, bytes, NULL, NULL, print_action)); break;
    }
    printf("\n");
    fflush(stdout);
    _exit(0);
}

int main(int argc, char **argv)
{
    int n, status;
    if (argc != 2) {
        fprintf(stderr, "usage: libkmod-hostile DIRNAME\n");
        return 2;
    }
    dirname = argv[1];
    /* a program starts with SIGPIPE's default, whatever the process that started this one ignored */
    signal(SIGPIPE, SIG_DFL);
    memset(huge, 'a', sizeof(huge) - 1);
    ctx = kmod_new(dirname, NULL);
    if (!ctx || kmod_load_resources(ctx) != 0)
        return 1;
    kmod_set_log_priority(ctx, 0);
    for (n = 0; n <= 35; n++) {
        pid_t child;
        printf("case %d:", n);
        fflush(stdout);
        child = fork();
        if (child == 0)
            one(n);
        waitpid(child, &status, 0);
        if (WIFSIGNALED(status))
            printf(" signal %d\n", WTERMSIG(status));
    }
    kmod_unref(ctx);
    return 0;
}
