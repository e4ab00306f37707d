#!/usr/bin/env bash
# kmod's own libkmod API tests (test-init, test-initstate, test-loaded, test-new-module,
# test-dependencies of kmod's testsuite; kmod 34.2's also test-weakdep) run against a shared libkmod.so.2:
# Debian's (the control) and ModKit's. Nothing of kmod's is in this repository: its sources are checked
# out at run time (kmod's git mirror when this machine has one, else a shallow clone from GitHub) into
# ~/.cache/modkit/kmod-testsuite.
#
#   tests/kmod-testsuite/run.sh [--kmod 30|34] [NAME=LIBRARY ...]
#       --kmod 30 (default): kmod 30's tests; default libraries debian=/lib/x86_64-linux-gnu/libkmod.so.2
#           (Debian 12's libkmod 30) and modkit=$MODKIT_LIBKMOD (or artifacts/lib/libkmod.so.2).
#       --kmod 34: kmod 34.2's tests; debian= trixie's libkmod 34.2 (scripts/fetch-kmod34.sh), its
#           programs run by trixie's loader and glibc (their interpreter and run path); modkit= as above.
#
# kmod builds these tests against a static copy of its library (libkmod-internal) and runs each in a
# child with LD_PRELOAD traps: path.so (open, stat, fopen, opendir ... of absolute paths go to the
# test's rootfs), uname.so, init_module.so and delete_module.so (the module calls return what the
# test asks and fake /sys/module). Here the same C files are compiled directly with gcc (only a config.h
# is written here, with what kmod's configure finds on Debian 12), the test programs link the shared
# library under test instead, and the traps keep their own static copy of kmod's code (init_module.so
# asks libkmod for a module's init state) with every symbol of it made local, so that the preloaded trap
# never interposes the library under test. modkit-trap.c (beside this script, ours; compiled into the
# test programs, whose exported symbols come before the preloaded traps) adds the calls
# ModKit makes that kmod's path.so does not wrap (statx, openat, fstatat; in 34.2 lstat, __xstat64 and
# __lxstat64) and passes the .NET runtime's
# syscall(__NR_membarrier) to libc, where init_module.so's syscall() aborts.
# The rootfs: kmod 30 ships its test modules prebuilt (module-playground/cache); kmod 34.2 builds them
# with kernel headers (this machine's Debian kernel's linux-headers, scripts/fetch-kernel.sh).
# MODKIT_KMOD is set to the tests' release for every run (kmod 30's tests, kmod 30's behaviour).
# Prints a table test x library (PASS/FAIL per test; "exit" the run of the whole program, which stops at
# its first failure); exit status 0 when ModKit's column equals the control's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
log() { echo "kmod-testsuite: $*" >&2; }
kmod=30
if [ "${1:-}" = --kmod ]; then kmod=${2:-}; shift 2 || true; fi
tests=(test-init test-initstate test-loaded test-new-module test-dependencies)
modkit_library=${MODKIT_LIBKMOD:-$repo/artifacts/lib/libkmod.so.2}
case $kmod in
    30) tag=v30 control=/lib/x86_64-linux-gnu/libkmod.so.2 ;;
    34) tag=v34.2 tests+=(test-weakdep)
        control=$(dirname "$("$repo/scripts/fetch-kmod34.sh")")/root/usr/lib/x86_64-linux-gnu/libkmod.so.2 ;;
    *) log "--kmod takes 30 or 34"; exit 2 ;;
esac
cache=${MODKIT_CACHE:-$HOME/.cache/modkit}/kmod-testsuite/$tag
mirror=/work/.mirror/kmod-project+kmod/repo

libraries=("$@")
if [ ${#libraries[@]} -eq 0 ]; then
    libraries=("debian=$control" "modkit=$modkit_library")
fi
for p in gcc libc6-dev libkmod-dev git make; do
    dpkg -s "$p" >/dev/null 2>&1 || { log "installing $p"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" >&2; }
done

# One run at a time per cache (several worktrees share it).
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9

# kmod's sources at the tag, once.
src=$cache/src
if [ ! -f "$src/testsuite/testsuite.c" ]; then
    rm -rf "$src.tmp" && mkdir -p "$src.tmp"
    if [ -d "$mirror" ] && git -C "$mirror" rev-parse -q --verify "refs/tags/$tag" >/dev/null; then
        git -C "$mirror" archive "$tag" | tar -x -C "$src.tmp"
    else
        git clone -q --depth 1 --branch "$tag" https://github.com/kmod-project/kmod.git "$src.tmp"
    fi
    mv -T "$src.tmp" "$src"
fi

# The build: what kmod's configure (30) or meson (34.2) finds on Debian 12, without compression (the traps
# read plain modules only). ABS_TOP_BUILDDIR: the folder path.so never redirects; the traps go where
# testsuite.c looks for them.
build=$cache/build
if [ "$kmod" = 30 ]; then
    traps=$build/testsuite/.libs
    libkmod_sources=(libkmod.c libkmod-list.c libkmod-config.c libkmod-index.c libkmod-module.c libkmod-file.c
        libkmod-elf.c libkmod-signature.c)
    shared_sources=(array.c hash.c scratchbuf.c strbuf.c util.c)
    config='#define PACKAGE "kmod"
#define VERSION "30"
#define SYSCONFDIR "/etc"
#define KMOD_FEATURES "-ZSTD -XZ -ZLIB -LIBCRYPTO -EXPERIMENTAL"
#define ENABLE_LOGGING 1
#define HAVE___XSTAT 1
#define HAVE_SECURE_GETENV 1
#define HAVE_STRUCT_STAT_ST_MTIM 1
#define HAVE_DECL_STRNDUPA 1
#define HAVE_DECL_BE32TOH 1
#define HAVE_LINUX_MODULE_H 1
#define HAVE_STATIC_ASSERT 1
#define HAVE_NORETURN 1
#define HAVE___BUILTIN_UADDL_OVERFLOW 1
#define HAVE___BUILTIN_UADDLL_OVERFLOW 1'
else
    traps=$build/testsuite
    libkmod_sources=(libkmod.c libkmod-list.c libkmod-config.c libkmod-index.c libkmod-module.c libkmod-file.c
        libkmod-elf.c libkmod-signature.c libkmod-builtin.c)
    shared_sources=(array.c hash.c strbuf.c util.c)
    config='#define PACKAGE "kmod"
#define VERSION "34.2"
#define SYSCONFDIR "/etc"
#define DISTCONFDIR "/usr/lib"
#define MODULE_DIRECTORY "/lib/modules"
#define KMOD_FEATURES "-ZSTD -XZ -ZLIB -LIBCRYPTO"
#define ENABLE_LOGGING 1
#define ENABLE_DEBUG 0
#define ENABLE_ELFDBG 0
#define ENABLE_XZ 0
#define ENABLE_XZ_DLOPEN 0
#define ENABLE_ZLIB 0
#define ENABLE_ZLIB_DLOPEN 0
#define ENABLE_ZSTD 0
#define ENABLE_ZSTD_DLOPEN 0
#define ENABLE_OPENSSL 0
#define HAVE_OPEN64 1
#define HAVE_STAT64 1
#define HAVE_FOPEN64 1
#define HAVE_SECURE_GETENV 1
#define HAVE_DECL_BASENAME 1
#define HAVE_DECL___XSTAT 0
#define HAVE_STRUCT_STAT_ST_MTIM 1
#define HAVE_STATIC_ASSERT 1
#define HAVE_NORETURN 1
#define HAVE___BUILTIN_CLZ 1
#define HAVE___BUILTIN_TYPES_COMPATIBLE_P 1
#define HAVE___BUILTIN_UADD_OVERFLOW 1
#define HAVE___BUILTIN_UADDL_OVERFLOW 1
#define HAVE___BUILTIN_UADDLL_OVERFLOW 1
#define HAVE___BUILTIN_UMUL_OVERFLOW 1
#define HAVE___BUILTIN_UMULL_OVERFLOW 1
#define HAVE___BUILTIN_UMULLL_OVERFLOW 1'
fi
defines=("-DABS_TOP_BUILDDIR=\"$build\"" "-DTESTSUITE_ROOTFS=\"$build/testsuite/rootfs/\""
    "-DOVERRIDE_LIBDIR=\"$traps/\"" "-DTOOLS_DIR=\"$build/\"")
key=$(cat "$here/run.sh" "$here/modkit-trap.c" | sha256sum | cut -c1-16)
if [ "$(cat "$build/.key" 2>/dev/null)" != "$key" ]; then
    log "building kmod $tag's testsuite pieces in $build"
    rm -rf "$build" && mkdir -p "$traps" "$build/obj"
    printf '%s\n' "$config" > "$build/config.h"
    cflags=(-O1 -g -fPIC -D_GNU_SOURCE -include "$build/config.h" -I "$src" -I "$src/testsuite" -w "${defines[@]}")
    objects() { # <archive> <sources...>
        local archive=$1 o; shift
        for c in "$@"; do
            o=$build/obj/$(basename "$(dirname "$c")")-$(basename "$c" .c).o
            gcc "${cflags[@]}" -c -o "$o" "$src/$c"
            ar rcs "$archive" "$o"
        done
    }
    objects "$build/libshared.a" "${shared_sources[@]/#/shared/}"
    objects "$build/libkmod-internal.a" "${libkmod_sources[@]/#/libkmod/}"
    objects "$build/libtestsuite.a" testsuite/testsuite.c
    # The traps: the archives' symbols local (--exclude-libs), so kmod_new & co. of init_module.so are its own.
    for trap in uname path init_module delete_module; do
        gcc "${cflags[@]}" -shared -o "$traps/$trap.so" "$src/testsuite/$trap.c" \
            -Wl,--exclude-libs,ALL "$build/libkmod-internal.a" "$build/libshared.a" -ldl
    done
    gcc "${cflags[@]}" -c -o "$build/modkit-trap.o" "$here/modkit-trap.c"
    # The test modules: kmod 30's prebuilt cache; kmod 34.2's built against this machine's kernel headers.
    cp -r "$src/testsuite/module-playground" "$build/module-playground"
    if [ "$kmod" = 30 ]; then
        cp "$build"/module-playground/cache/*.ko "$build/module-playground/"
    else
        release=$(basename "$("$repo/scripts/fetch-kernel.sh")")
        dpkg -s "linux-headers-$release" >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "linux-headers-$release" >&2
        make -s -C "$build/module-playground" KDIR="/usr/src/linux-headers-$release" modules >"$build/modules.log" 2>&1 \
            || { tail -20 "$build/modules.log" >&2; exit 1; }
    fi
    echo "$key" > "$build/.key"
fi
# Which public libkmod symbols a trap exports (must be none: it would replace the library under test).
if nm -D --defined-only "$traps"/*.so | grep -q ' T kmod_'; then
    log "a trap exports libkmod functions:"; nm -D --defined-only "$traps"/*.so | grep ' T kmod_' >&2
    exit 1
fi

fresh_rootfs() {
    if [ "$kmod" = 30 ]; then
        rm -rf "$build/testsuite/rootfs"
        cp -r "$src/testsuite/rootfs-pristine" "$build/testsuite/rootfs"
        find "$build/testsuite/rootfs" -type f -name .gitignore -delete
        bash "$src/testsuite/populate-modules.sh" "$build/module-playground" "$build/testsuite/rootfs" "$build/config.h"
    else
        (cd "$build" && bash "$src/scripts/setup-rootfs.sh" "$src/testsuite/rootfs-pristine" "$build/testsuite/rootfs" \
            "$build/module-playground" "$build/config.h" /etc /lib/modules >/dev/null)   # (run from the build root)
    fi
    touch "$build/testsuite/stamp-rootfs"
}

# MODKIT_EXTRA_TRAP=0 leaves modkit-trap.c out (to see what kmod's traps alone give).
extra_trap=("$build/modkit-trap.o" -ldl)
for symbol in statx openat openat64 lstat lstat64 fstatat fstatat64 __xstat64 __lxstat64 syscall; do extra_trap+=("-Wl,--export-dynamic-symbol=$symbol"); done
[ "${MODKIT_EXTRA_TRAP:-1}" = 1 ] || extra_trap=()
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
names=()
for lib in "${libraries[@]}"; do
    name=${lib%%=*} path=${lib#*=}
    [ -f "$path" ] || { log "no library $path"; exit 1; }
    names+=("$name")
    mkdir -p "$results/$name"
    for t in "${tests[@]}"; do
        bin=$build/bin-$name/$t
        mkdir -p "$(dirname "$bin")"
        # trixie's libkmod needs trixie's glibc: its loader as the program's interpreter, its folder as run path.
        loader=()
        if [ -e "$(dirname "$path")/ld-linux-x86-64.so.2" ]; then
            loader=("-Wl,--dynamic-linker=$(dirname "$path")/ld-linux-x86-64.so.2" -Wl,--allow-shlib-undefined)
        fi
        gcc -O1 -g -D_GNU_SOURCE -include "$build/config.h" -I "$src" -I "$src/testsuite" -w "${defines[@]}" \
            -o "$bin" "$src/testsuite/$t.c" "$build/libtestsuite.a" "$build/libshared.a" \
            "${extra_trap[@]}" "$path" "-Wl,-rpath,$(dirname "$path")" "${loader[@]}" -lrt
        # The program must really run on the library under test.
        actual=$(LD_TRACE_LOADED_OBJECTS=1 "$bin" | awk '$1 == "libkmod.so.2" { print $3 }')
        [ "$(readlink -f "$actual")" = "$(readlink -f "$path")" ] || { log "$bin loads $actual, not $path"; exit 1; }
        fresh_rootfs
        # Each test alone (by name), then the whole program as kmod's "make check" runs it.
        # Tests of the tools (test-weakdep's modprobe_config runs modprobe -c) are not run: the API only.
        cases=$("$bin" -l | sed -n 's/^\t\([a-z_0-9]*\),.*/\1/p' | awk '!seen[$0]++' | grep -vx 'modprobe_config')
        for case in $cases; do
            # (stdbuf: the harness forks with its stdout buffered, which repeats lines in a file.)
            # kmod 30's harness exits 0 from a failed test run by name (it returns the raw wait status,
            # 256): the verdict is its log line.
            if MODKIT_KMOD=$kmod timeout 60 stdbuf -oL "$bin" "$case" >"$results/$name/$t.$case.log" 2>&1 \
                && grep -Eq "(PASSED|EXPECTED FAIL): $case\$" "$results/$name/$t.$case.log" \
                && ! grep -q 'FAILED' "$results/$name/$t.$case.log"; then
                echo PASS > "$results/$name/$t.$case"
            else
                echo FAIL > "$results/$name/$t.$case"
            fi
            echo "$t $case" >> "$results/cases.$name"
        done
        if "$bin" -l | grep -q '^	modprobe_config,'; then
            echo "not run (a tool test)" > "$results/$name/$t.all"
            echo "$t (whole program)" >> "$results/cases.$name"
            continue
        fi
        fresh_rootfs
        if MODKIT_KMOD=$kmod timeout 300 stdbuf -oL "$bin" \
            >"$results/$name/$t.all.log" 2>&1; then
            echo "exit 0" > "$results/$name/$t.all"
        else
            echo "exit $?" > "$results/$name/$t.all"
        fi
        # and how many of its tests passed (it stops at the first failure)
        echo "$(cat "$results/$name/$t.all"), $(grep -cE '(PASSED|EXPECTED FAIL): ' "$results/$name/$t.all.log")/$("$bin" -l | grep -c '^	') passed" > "$results/$name/$t.all"
        echo "$t (whole program)" >> "$results/cases.$name"
    done
done

# The table: one row a test case, one column a library.
first=${names[0]}
printf '%-18s %-32s' "program" "test"
for n in "${names[@]}"; do printf ' %-8s' "$n"; done
printf '\n'
status=0
while read -r t case rest; do
    [ "$case" = "(whole" ] && case=all
    printf '%-18s %-32s' "$t" "$([ "$case" = all ] && echo "(whole program)" || echo "$case")"
    for n in "${names[@]}"; do
        r=$(cat "$results/$n/$t.$case" 2>/dev/null || echo "-")
        printf ' %-18s' "$r"
        [ "$r" = "$(cat "$results/$first/$t.$case")" ] || status=1
    done
    printf '\n'
done < "$results/cases.$first"
# The logs of what failed, for the report.
for n in "${names[@]}"; do
    for f in "$results/$n"/*; do
        case $f in *.log) continue ;; esac
        if grep -q 'FAIL\|exit [1-9]' "$f"; then
            echo "--- $n $(basename "$f"):"
            tail -15 "$f.log" | sed 's/^/    /'
        fi
    done
done
exit $status
