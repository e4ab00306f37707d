# fish completion for lsmod (ModKit's package)
complete -c lsmod -f
complete -c lsmod -s s -l syslog -d 'report to syslog instead of standard error'
complete -c lsmod -s v -l verbose -d 'print more messages'
complete -c lsmod -s V -l version -d 'print the version'
complete -c lsmod -s h -l help -d 'print the usage'
