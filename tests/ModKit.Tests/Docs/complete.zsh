# zsh -f complete.zsh COMPLETIONS_DIR WORD... : the matches zsh's completion system (compinit, with the
# directory first in fpath) offers for the last WORD, one per line. An interactive zsh runs in a pseudo
# terminal (zpty); compadd is wrapped to print each match it adds.
zmodload zsh/zpty || exit 2
dir=$1
shift
if [[ -z ${@[-1]} ]]; then line="${(j: :)${(q)@[1,-2]}} "; else line="${(j: :)${(q)@}}"; fi
zpty -b z zsh -f -i
zpty -w z "PS1=''; unsetopt zle_bracketed_paste 2>/dev/null; fpath=(${(q)dir} \$fpath)"
zpty -w z 'autoload -Uz compinit; compinit -u -D; zstyle ":completion:*" list-prompt ""'
zpty -w z 'compadd () { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi; local -a __hits; builtin compadd -A __hits "$@"; local h; for h in $__hits; do print -r -- "<<MATCH>>$h" >/dev/tty; done; builtin compadd "$@" }'
zpty -w z 'comppostfuncs=( __done ); __done () { print -r -- "<<DONE>>" >/dev/tty; exit 0 }'
zpty -w z 'print -r -- "<<READY>>"'
while zpty -r z out; do [[ $out == *'<<READY>>'* && $out != *print* ]] && break; done
zpty -w -n z "$line"$'\t'
deadline=$(( SECONDS + 30 ))
finished=0
while (( SECONDS < deadline )); do
  if ! zpty -r -t z out 2>/dev/null; then sleep 0.05; continue; fi
  [[ $out == *'<<DONE>>'* && $out != *'print -r'* ]] && { finished=1; break }
  [[ $out == *'<<MATCH>>'* && $out != *'print -r'* ]] && print -r -- "${${out#*<<MATCH>>}%%$'\r'*}"
done
zpty -d z
(( finished )) || { print -u2 "complete.zsh: no answer from zsh"; exit 3 }
