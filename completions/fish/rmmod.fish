complete -c rmmod -e
complete -c rmmod -f -a '(__modkit_loaded_modules)'
complete -c rmmod -s f -l force -d 'force removal'
complete -c rmmod -s s -l syslog -d 'report to syslog'
complete -c rmmod -s v -l verbose -d 'more messages'
complete -c rmmod -n '__modkit_is 30' -s w -d 'refused, as by kmod 30'
complete -c rmmod -s V -l version -d 'show version'
complete -c rmmod -s h -l help -d 'show help'
