#!/usr/bin/env bash
# The kernel library (src/core/kernels, src/topics/*/kernels) does no I/O and throws nothing: its
# functions are called from timed loops and from fuzzers, and their results go through commands.
# Fails, naming file and line, if a kernel includes a stream, stdio or fmt header or throws.
# Usage: tests/kernel_rules.sh [source root]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
shopt -s nullglob
files=(src/core/kernels/* src/topics/*/kernels/*)
[ "${#files[@]}" -gt 0 ] || { echo "kernel_rules: no kernel files found under $(pwd)" >&2; exit 1; }
# Comments are stripped first so that a sentence about "throw" is not a violation.
found=0
for f in "${files[@]}"; do
  hits=$(sed -e 's://.*$::' "$f" | grep -nE \
    '#[[:space:]]*include[[:space:]]*[<"](iostream|fstream|sstream|ostream|istream|cstdio|stdio\.h|fmt/[^>"]*)[>"]|\bthrow\b|\bprintf\b|\bstd::(cout|cerr|clog)\b' \
    || true)
  if [ -n "$hits" ]; then
    found=1
    while IFS= read -r line; do echo "kernel_rules: $f:$line" >&2; done <<<"$hits"
  fi
done
[ "$found" -eq 0 ] && echo "kernel_rules: ${#files[@]} kernel files, no I/O, no throw"
exit "$found"
