# bash completion for sysbench; installed as share/bash-completion/completions/sysbench.
# Subcommands come from `sysbench --list`, options from `sysbench SUBCOMMAND --help`, so the
# completion follows whatever this build has.
_sysbench() {
  local cur prev words cword
  _init_completion 2>/dev/null || {
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  }
  local exe=${words[0]}
  case $prev in
    --format)
      COMPREPLY=($(compgen -W "text tsv csv json jsonl markdown gbench-json html" -- "$cur"))
      return ;;
    -o | --output | --baseline | --save | --summary)
      COMPREPLY=($(compgen -f -- "$cur"))
      return ;;
  esac
  local subcommands sub="" w
  subcommands=$("$exe" --list 2>/dev/null | cut -f1)
  for w in "${words[@]:1:cword-1}"; do
    if grep -qxF -- "$w" <<<"$subcommands"; then
      sub=$w
      break
    fi
  done
  if [[ $cur == -* ]]; then
    local help
    help=$("$exe" ${sub:+"$sub"} --help 2>/dev/null)
    COMPREPLY=($(compgen -W "$(grep -oE -- '--[a-z][a-z0-9-]*' <<<"$help" | sort -u)" -- "$cur"))
  elif [[ -z $sub ]]; then
    COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
  elif [[ $sub == compare || $sub == report || $sub == fleet ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -F _sysbench sysbench
