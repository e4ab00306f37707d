# fish complete.fish COMPLETIONS_DIR WORD... : the completions fish offers for the last WORD, one per
# line (values without descriptions), with the directory first in fish_complete_path.
set -g fish_complete_path $argv[1] $fish_complete_path
set -l words $argv[2..]
set -l line (string join -- ' ' (string escape -- $words[1..-2]))' '
test -n "$words[-1]"; and set line "$line"(string escape -- $words[-1])
complete -C "$line" | string replace -r '\t.*' ''
exit 0
