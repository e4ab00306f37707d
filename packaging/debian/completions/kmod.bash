# bash completion for kmod (ModKit's package): the front-end's commands and their options.
_modkit_kmod() {
    local cur prev command i
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    command=
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        -*) ;;
        *) command=${COMP_WORDS[i]}; break ;;
        esac
    done
    case $command in
    "")
        mapfile -t COMPREPLY < <(compgen -W 'help list static-nodes --version --help' -- "$cur")
        ;;
    static-nodes)
        case $prev in
        -f | --format)
            mapfile -t COMPREPLY < <(compgen -W 'human tmpfiles devname' -- "$cur")
            ;;
        -o | --output)
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            ;;
        *)
            mapfile -t COMPREPLY < <(compgen -W '--format --output --help' -- "$cur")
            ;;
        esac
        ;;
    esac
}
complete -F _modkit_kmod kmod
