complete -c kmod -e
complete -c kmod -f
complete -c kmod -n '__fish_use_subcommand' -s V -l version -d 'show version'
complete -c kmod -n '__fish_use_subcommand' -s h -l help -d 'show help'
complete -c kmod -n '__fish_use_subcommand' -a help -d 'show help'
complete -c kmod -n '__fish_use_subcommand' -a list -d 'list loaded modules'
complete -c kmod -n '__fish_use_subcommand' -a static-nodes -d 'static device nodes'
complete -c kmod -n '__fish_seen_subcommand_from static-nodes' -s o -l output -r -d 'output file'
complete -c kmod -n '__fish_seen_subcommand_from static-nodes' -s f -l format -x -a 'human tmpfiles devname' -d 'format'
complete -c kmod -n '__fish_seen_subcommand_from static-nodes' -s h -l help -d 'show help'
