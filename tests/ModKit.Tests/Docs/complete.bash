# bash complete.bash COMPLETIONS_DIR WORD... : the words bash-completion would offer for the last WORD,
# one per line, using the completion file named after the first word (as bash-completion loads it).
dir=$1
shift
source "$dir/${1##*/}"
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
completion=$(complete -p "${1##*/}") || exit 2
function=${completion#*-F }
function=${function%% *}
"$function" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' "${COMPREPLY[@]}"
