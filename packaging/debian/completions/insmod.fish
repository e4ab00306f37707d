# fish completion for insmod (ModKit's package)
complete -c insmod -s f -l force -d 'load even if versions do not match (dangerous)'
complete -c insmod -s s -l syslog -d 'report to syslog instead of standard error'
complete -c insmod -s v -l verbose -d 'print more messages'
complete -c insmod -s V -l version -d 'print the version'
complete -c insmod -s h -l help -d 'print the usage'
complete -c insmod -F -a '(__fish_complete_suffix .ko .ko.xz .ko.zst .ko.gz)'
