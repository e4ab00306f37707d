# fish completion for rmmod (ModKit's package)
complete -c rmmod -f -a '(test -r /proc/modules; and string split -f1 " " < /proc/modules)' -d 'loaded module'
complete -c rmmod -s f -l force -d 'remove even if in use (dangerous)'
complete -c rmmod -s s -l syslog -d 'report to syslog instead of standard error'
complete -c rmmod -s v -l verbose -d 'print more messages'
complete -c rmmod -s V -l version -d 'print the version'
complete -c rmmod -s h -l help -d 'print the usage'
