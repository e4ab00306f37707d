complete -c modkit -e
complete -c modkit -f
complete -c modkit -n '__fish_use_subcommand' -s V -l version -d 'show version'
complete -c modkit -n '__fish_use_subcommand' -s h -l help -d 'show help'
complete -c modkit -n '__fish_use_subcommand' -a 'help list static-nodes insmod rmmod lsmod modinfo modprobe depmod kmod'
# After the tool's name: what that tool completes (static-nodes as kmod's, list as lsmod's).
function __modkit_tool_completions
    set -l words (commandline -opc)[2..]
    switch $words[1]
        case static-nodes
            set words kmod $words
        case list
            set words[1] lsmod
    end
    complete -C (string join -- ' ' (string escape -- $words))' '(commandline -ct)
end
complete -c modkit -n 'not __fish_use_subcommand' -a '(__modkit_tool_completions)'
