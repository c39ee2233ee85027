#!/usr/bin/env bash
# Feeds bad values to every option of every subcommand (read from --help) and checks that each
# call ends cleanly: either the value is rejected (exit 2, exactly one stderr line starting
# "sysbench:", nothing on stdout) or, where the value happens to be valid, accepted (exit 0 or 1);
# never a crash (signal), a hang (per-call timeout) or a file left in the call's cwd/TMPDIR.
# Usage: tests/hostile_input.sh [path/to/sysbench] [seconds per call]
set -uo pipefail
SB=$(realpath "${1:-build/release/sysbench}")
LIMIT=${2:-20}
[ -x "$SB" ] || { echo "hostile_input: no binary at $SB" >&2; exit 2; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sysbench-hostile-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/a-directory"
HUGE=99999999999999999999999

# Bad values: empty, negative, zero, huge, not a number, an empty list item, an unknown name,
# a device, a directory, a missing file, NaN and infinity, a tiny or fractional size, junk.
VALUES=("" "-1" "0" "$HUGE" "18446744073709551616" "abc" "1,,2" ",," "bogus-name" "/dev/zero"
  "$WORK/a-directory" "$WORK/missing/file.json" "nan" "inf" "1e999" "-0" "1" "0.5" "1.5K"
  "4-1" " " "1x" "%s%n")

# Options listed in a --help text: lines starting with spaces and a dash; flags (no value) left out.
options_of() {
  "$SB" "$@" --help 2>/dev/null | grep -E '^\s+-' |
    grep -vE '^\s+(-h,)?--help|^\s+--(list|quick|version)\b|^\s+-q,--quiet' |
    grep -E '\b(TEXT|INT|UINT|FLOAT|NUMBER|SIZE|FILE|ENUM|[A-Z]{2,})\b' |
    sed -E 's/^\s+//; s/ .*//; s/.*,//' | sort -u
}
subcommands_of() {
  "$SB" "$@" --help 2>/dev/null |
    awk '/^Subcommands:/ {on=1; next} on && /^[^ ]/ {on=0} on && NF {print $1}'
}

calls=0 rejected=0 accepted=0 hangs=0 crashes=0 wrong=0 left=0
fail() { echo "hostile_input: FAIL $*" >&2; }

# Runs sysbench with the given args in a fresh empty cwd and TMPDIR, and classifies the outcome.
probe() {
  local dir out err code
  dir=$(mktemp -d "$WORK/call-XXXXXX")
  out="$WORK/out" err="$WORK/err"
  # `all --only ''` means "no list": the whole quick suite, which on a busy machine takes longer.
  local limit=$LIMIT
  [[ " $* " == *" all "* ]] && limit=$((LIMIT * 4))
  (cd "$dir" && TMPDIR="$dir" timeout -s KILL "$limit" "$SB" "$@" </dev/null >"$out" 2>"$err")
  code=$?
  calls=$((calls + 1))
  local shown
  shown=$(printf '%q ' "$@")
  if [ "$code" -eq 137 ]; then
    hangs=$((hangs + 1)); fail "hang (> ${limit}s): sysbench $shown"
  elif [ "$code" -gt 128 ] || [ "$code" -eq 124 ]; then
    crashes=$((crashes + 1)); fail "crash (exit $code): sysbench $shown: $(head -c 300 "$err")"
  elif [ "$code" -eq 2 ]; then
    local lines
    lines=$(wc -l <"$err")
    if [ "$lines" -ne 1 ] || ! head -n1 "$err" | grep -q '^sysbench: ' || [ -s "$out" ]; then
      wrong=$((wrong + 1))
      fail "exit 2 without one 'sysbench:' line (or with stdout): sysbench $shown: $(head -c 300 "$err")"
    else
      rejected=$((rejected + 1))
    fi
    if [ -n "$(ls -A "$dir")" ]; then
      left=$((left + 1)); fail "files left after a rejection: sysbench $shown: $(ls -A "$dir")"
    fi
  elif [ "$code" -eq 0 ] || [ "$code" -eq 1 ]; then
    accepted=$((accepted + 1))
  else
    wrong=$((wrong + 1)); fail "exit $code: sysbench $shown: $(head -c 300 "$err")"
  fi
  rm -rf "$dir"
}

# Keeps an accepted value's run short: globals that make sampling cheap (unless the option under
# test is one of them), and for `all` only the cheapest command.
FAST=(--quick --repetitions 1 --min-time 0.0001 --warmup 0)
fast_globals_without() {
  local skip=$1 i
  for ((i = 0; i < ${#FAST[@]}; i++)); do
    case "${FAST[i]}" in
      --quick) [ "$skip" = --quick ] || printf '%s\n' --quick ;;
      *) if [ "${FAST[i]}" != "$skip" ]; then printf '%s\n%s\n' "${FAST[i]}" "${FAST[i+1]}"; fi
         i=$((i + 1)) ;;
    esac
  done
}

mapfile -t GLOBAL_OPTIONS < <(options_of)
mapfile -t COMMANDS < <(subcommands_of)
[ "${#COMMANDS[@]}" -gt 3 ] || { echo "hostile_input: could not read the subcommands" >&2; exit 2; }

for opt in "${GLOBAL_OPTIONS[@]}"; do
  mapfile -t globals < <(fast_globals_without "$opt")
  for v in "${VALUES[@]}"; do probe "${globals[@]}" "$opt" "$v" info; done
done

for cmd in "${COMMANDS[@]}"; do
  mapfile -t nested < <(subcommands_of "$cmd")
  targets=("$cmd")
  for n in "${nested[@]}"; do targets+=("$cmd $n"); done
  for target in "${targets[@]}"; do
    read -r -a words <<<"$target"
    mapfile -t opts < <(options_of "${words[@]}")
    mapfile -t globals < <(fast_globals_without none)
    for opt in "${opts[@]}"; do
      # `all` runs only its cheapest command; a server given a valid value serves, so it stops
      # after 1 s without a client.
      extra=()
      [ "$cmd" = all ] && extra=(--only info)
      [ "$target" = "net server" ] && [ "$opt" != --idle-timeout ] && extra=(--idle-timeout 1)
      for v in "${VALUES[@]}"; do
        if [ "$cmd" = all ] && { [ "$opt" = --only ] || [ "$opt" = --skip ]; }; then
          probe "${globals[@]}" "${words[@]}" "$opt" "$v"
        else
          probe "${globals[@]}" "${words[@]}" "${extra[@]}" "$opt" "$v"
        fi
      done
    done
    # Positional arguments (compare, report): the bad file names.
    case "$cmd" in
      compare) for v in "${VALUES[@]}"; do probe "${globals[@]}" compare "$v" "$v"; done ;;
      report) for v in "${VALUES[@]}"; do probe "${globals[@]}" report "$v"; done ;;
    esac
  done
done
# Unknown options and subcommands.
probe --bogus-option info
probe bogus-command
probe info --bogus-option

echo "hostile_input: $calls calls: $rejected rejected cleanly, $accepted accepted as valid;" \
  "$hangs hangs, $crashes crashes, $wrong wrong exit codes or messages, $left with files left"
[ $((hangs + crashes + wrong + left)) -eq 0 ]
