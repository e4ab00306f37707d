# bash completion for lsmod (ModKit's package): its options.
_modkit_lsmod() {
    mapfile -t COMPREPLY < <(compgen -W '--syslog --verbose --version --help' -- "${COMP_WORDS[COMP_CWORD]}")
}
complete -F _modkit_lsmod lsmod
