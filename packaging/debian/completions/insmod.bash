# bash completion for insmod (ModKit's package): options, then a module file, then its parameters.
_modkit_insmod() {
    local cur i file=
    cur=${COMP_WORDS[COMP_CWORD]}
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in -*) ;; *) file=${COMP_WORDS[i]}; break ;; esac
    done
    if [ -n "$file" ]; then
        # The module's parameters, as modinfo lists them.
        mapfile -t COMPREPLY < <(compgen -W "$(modinfo -F parm "$file" 2>/dev/null | sed 's/:.*/=/')" -- "$cur")
        compopt -o nospace
    elif [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W '--force --syslog --verbose --version --help' -- "$cur")
    else
        mapfile -t COMPREPLY < <(compgen -f -X '!*.@(ko|ko.xz|ko.zst|ko.gz)' -- "$cur"; compgen -d -- "$cur")
    fi
}
complete -F _modkit_insmod insmod
