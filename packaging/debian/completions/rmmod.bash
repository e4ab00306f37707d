# bash completion for rmmod (ModKit's package): options and the names of the loaded modules.
_modkit_rmmod() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W '--force --syslog --verbose --version --help' -- "$cur")
    else
        mapfile -t COMPREPLY < <(compgen -W "$(cut -d' ' -f1 /proc/modules 2>/dev/null)" -- "$cur")
    fi
}
complete -F _modkit_rmmod rmmod
