#!/usr/bin/env bash
# One lease of a GPU machine (docs/gpu.md): the GPU acceptance (bench/compare/gpu.sh), then the
# host CPU recorded into the machine corpus (scripts/record-machine.sh), issue 13's truth checks
# (bench/compare/truth.sh) and, on its quiet 16 cores, the exec and train comparisons; each step
# bounded in time. Everything lands in OUT (default
# ./device-out): log.txt as it runs, results.tgz (json, SASS counts) at the end.
# Usage: scripts/device-check.sh [sysbench] [machine name]
set -uo pipefail
SB=$(realpath "${1:-build/release/sysbench}")
NAME=${2:-h200-host}
OUT=${OUT:-$PWD/device-out}
mkdir -p "$OUT"
W=$(mktemp -d)
log="$OUT/log.txt"
BUDGET=${BUDGET:-430}  # seconds for all steps: a step gets what is left of it, at most its own limit
step() {  # step SECONDS TITLE COMMAND...
  local limit=$1 title=$2
  shift 2
  ((limit > BUDGET - SECONDS)) && limit=$((BUDGET - SECONDS))
  if ((limit < 10)); then
    echo "== $title: skipped, the budget of ${BUDGET} s is spent" | tee -a "$log"
    return
  fi
  echo "== $title ($(date -u +%T))" | tee -a "$log"
  timeout -k 5 "$limit" "$@" 2>&1 | tee -a "$log"
  echo "== $title: exit ${PIPESTATUS[0]}" | tee -a "$log"
}
finish() {
  tar -C "$W" -czf "$OUT/results.tgz" . 2>/dev/null
  rm -rf "$W"
}
trap finish EXIT
{ uname -a; lscpu | head -20; nproc; uptime; } >"$W/host.txt" 2>&1
"$SB" -q info >/dev/null 2>&1 || { echo "sysbench does not start here:"; ldd "$SB"; } | tee -a "$log"
step 20 "nvidia-smi" nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,clocks.mem,power.draw,power.limit,temperature.gpu,pcie.link.gen.current,pcie.link.width.current,pcie.link.gen.max --format=csv
step 60 "SASS of the GPU kernels" bash -c "cuobjdump --dump-sass '$SB' >'$W/sass.txt' 2>&1;
  for i in DFMA FFMA HFMA2 'HFMA2.BF16' IMAD IDP HMMA IMMA HGMMA IGMMA; do
    printf '%-12s %s\n' \"\$i\" \"\$(grep -c \"\$i\" '$W/sass.txt')\"; done; gzip -f '$W/sass.txt'"
step 150 "issue 17: bench/compare/gpu.sh" bench/compare/gpu.sh "$SB" "$W"
step 120 "issue 13: scripts/record-machine.sh $NAME" scripts/record-machine.sh "$NAME" "$SB"
cp -r "tests/data/machines/$NAME" "$W/machine" 2>/dev/null
step 120 "issue 13: bench/compare/truth.sh" bench/compare/truth.sh "$SB"
step 90 "issue 18: bench/compare/exec.sh (5 runs)" bench/compare/exec.sh "$SB" 5
step 120 "issue 16: bench/compare/train.sh" env PY="$(command -v python3)" bench/compare/train.sh "$SB"
