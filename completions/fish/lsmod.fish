complete -c lsmod -e
complete -c lsmod -f
complete -c lsmod -n '__modkit_is 34' -s s -l syslog -d 'report to syslog'
complete -c lsmod -n '__modkit_is 34' -s v -l verbose -d 'more messages'
complete -c lsmod -n '__modkit_is 34' -s V -l version -d 'show version'
complete -c lsmod -n '__modkit_is 34' -s h -l help -d 'show help'
complete -c lsmod -l json -d 'print JSON'
