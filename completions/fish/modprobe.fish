complete -c modprobe -e
function __modkit_removing
    for word in (commandline -opc)[2..]
        if string match -qr -- '^(-r|--remove|-[a-zA-Z]*r[a-zA-Z]*)$' $word
            return 0
        end
    end
    return 1
end
complete -c modprobe -f -n 'not __modkit_removing' -a '(__modkit_module_names)'
complete -c modprobe -f -n '__modkit_removing' -a '(__modkit_loaded_modules)'
complete -c modprobe -s a -l all -d 'every argument is a module'
complete -c modprobe -s r -l remove -d 'remove modules'
complete -c modprobe -l remove-dependencies -d 'also remove holders'
complete -c modprobe -l remove-holders -d 'also remove holders'
complete -c modprobe -s w -l wait -x -d 'wait for users to go, in ms'
complete -c modprobe -s R -l resolve-alias -d 'print what an alias resolves to'
complete -c modprobe -l first-time -d 'fail if already done'
complete -c modprobe -s i -l ignore-install -d 'ignore install commands'
complete -c modprobe -l ignore-remove -d 'ignore remove commands'
complete -c modprobe -s b -l use-blacklist -d 'apply the blacklist to aliases'
complete -c modprobe -s f -l force -d 'force'
complete -c modprobe -l force-modversion -d 'ignore symbol versions'
complete -c modprobe -l force-vermagic -d 'ignore version magic'
complete -c modprobe -s D -l show-depends -d 'print the load plan'
complete -c modprobe -s c -l showconfig -d 'print the configuration'
complete -c modprobe -l show-config -d 'print the configuration'
complete -c modprobe -l show-modversions -r -d 'print symbol versions of a file'
complete -c modprobe -l dump-modversions -r -d 'print symbol versions of a file'
complete -c modprobe -l show-exports -r -d 'print exported symbols of a file'
complete -c modprobe -s n -l dry-run -d 'do nothing'
complete -c modprobe -l show -d 'do nothing'
complete -c modprobe -s C -l config -r -d 'configuration file or folder'
complete -c modprobe -s d -l dirname -x -a '(__fish_complete_directories)' -d 'root folder'
complete -c modprobe -s S -l set-version -x -a '(__modkit_releases)' -d 'kernel release'
complete -c modprobe -s s -l syslog -d 'report to syslog'
complete -c modprobe -s q -l quiet -d 'fewer messages'
complete -c modprobe -s v -l verbose -d 'more messages'
complete -c modprobe -s V -l version -d 'show version'
complete -c modprobe -s h -l help -d 'show help'
complete -c modprobe -l json -d 'print JSON with -D, -R or -c'
