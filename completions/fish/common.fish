# Shared by ModKit's fish completions (build.sh puts this at the top of each command's file).
# The kmod release the program imitates: MODKIT_KMOD if set, else its --version (kmod 30's lsmod has none).
function __modkit_release --argument-names cmd
    if contains -- "$MODKIT_KMOD" 30 34
        echo $MODKIT_KMOD
        return
    end
    set -l program $cmd
    if test (path basename -- $cmd) = lsmod
        set -l beside (path dirname -- (command -s $cmd))/kmod
        if test -x $beside
            set program $beside
        else
            set program kmod
        end
    end
    if string match -q '*kmod version 30*' -- ($program --version 2>/dev/null)
        echo 30
    else
        echo 34
    end
end

function __modkit_is --argument-names release
    test (__modkit_release (commandline -opc)[1]) = $release
end

# Module names from a kernel's modules.dep (-d/-b ROOT and -S/-k RELEASE from the line so far).
function __modkit_module_names
    set -l words (commandline -opc)
    set -l root ''
    set -l release (uname -r)
    for i in (seq 2 (count $words))
        switch $words[$i]
            case -d --dirname -b --basedir
                set root $words[(math $i + 1)]
            case '--dirname=*' '--basedir=*'
                set root (string replace -r '^[^=]*=' '' -- $words[$i])
            case -S --set-version -k
                set release $words[(math $i + 1)]
            case '--set-version=*'
                set release (string replace -r '^[^=]*=' '' -- $words[$i])
        end
    end
    set -l dep $root/lib/modules/$release/modules.dep
    test -r $dep; or return
    string replace -r ':.*' '' <$dep | string replace -r '.*/' '' | string replace -r '\.ko.*$' ''
end

function __modkit_loaded_modules
    test -r /proc/modules; and string replace -r ' .*' '' </proc/modules
end

function __modkit_releases
    path basename /lib/modules/*
end

# Module files (and folders to descend into) for the word being completed.
function __modkit_module_files
    set -l token (commandline -ct)
    for file in $token*
        if test -d $file
            echo $file/
        else if string match -qr '\.ko(\.gz|\.xz|\.zst)?$' -- $file
            echo $file
        end
    end
end
